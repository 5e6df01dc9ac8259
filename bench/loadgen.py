"""The load generator of `make bench`: Locust (FastHttpUser), headless, used
as a library in its own process so that it never shares an interpreter with
the server. For each scenario and each level: start N users at once, let them
run a warm-up, reset the statistics, measure for a fixed time, stop.

Each user sends its next request as soon as the previous one is answered
(no think time), so N is the number of requests in flight: a closed loop at
fixed concurrency. The reference is measured right before every scenario
(same level, same duration) and the scenario's ratio is to that run, because
the machine is shared and its speed drifts over minutes; before a signed-in
scenario the signed-in reference is measured too.

Usage: python bench/loadgen.py PLAN.json RESULTS.json BASE_URL
Environment: BENCH_LEVELS (8,32), BENCH_WARMUP (3 s), BENCH_DURATION (12 s),
BENCH_SCENARIOS (comma-separated names; default all ready ones).
"""

from __future__ import annotations

# Locust patches the standard library with gevent on import: import it first.
from locust import FastHttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import itertools
import json
import os
import re
import sys
import time
from pathlib import Path

import gevent

CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
CSRF_COOKIE = re.compile(r"csrftoken=([^;]+)")


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def user_class(scenario: dict, base_url: str) -> type[FastHttpUser]:
    """One Locust user class per scenario; user i plays account i of the plan."""
    accounts = scenario["users"]
    counter = itertools.count()
    expect = set(scenario["expect"])
    name = scenario["name"]
    is_post = scenario["method"] == "POST"

    class ScenarioUser(FastHttpUser):
        host = base_url
        wait_time = constant(0)
        network_timeout = 30.0
        connection_timeout = 10.0
        max_retries = 0

        def on_start(self):
            account = accounts[next(counter) % len(accounts)]
            self.cookies = dict(account["cookies"])
            self.paths = itertools.cycle(account["paths"])
            self.headers = {}
            if is_post:
                self.fetch_csrf(account["csrf_path"])
            if self.cookies:
                self.headers["Cookie"] = cookie_header(self.cookies)

        def fetch_csrf(self, path: str) -> None:
            """The signed-in user opens the lesson page, which carries the
            token in its forms and sets the CSRF cookie."""
            headers = {"Cookie": cookie_header(self.cookies)}
            response = self.client.get(
                path, headers=headers, name=f"{name} (csrf page)", allow_redirects=False
            )
            token = CSRF_INPUT.search(response.content or b"")
            set_cookie = response.headers.get("set-cookie") or ""
            if isinstance(set_cookie, list | tuple):
                set_cookie = "; ".join(set_cookie)
            cookie = CSRF_COOKIE.search(set_cookie)
            if cookie:
                self.cookies["csrftoken"] = cookie.group(1)
            self.headers["X-CSRFToken"] = token.group(1).decode() if token else ""

        @task
        def hit(self):
            path = next(self.paths)
            method = "POST" if is_post else "GET"
            with self.client.request(
                method,
                path,
                name=name,
                headers=self.headers,
                data="" if is_post else None,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                if response.status_code not in expect:
                    response.failure(f"status {response.status_code}")
                elif response.status_code in (302, 303):
                    location = response.headers.get("location", "") or ""
                    if "/accounts/login" in location:
                        response.failure("redirected to the login page")
                    else:
                        response.success()
                else:
                    response.success()

    ScenarioUser.__name__ = f"{name.title().replace('_', '')}User"
    return ScenarioUser


def run_level(
    scenario: dict, base_url: str, users: int, warmup: float, duration: float
):
    env = Environment(user_classes=[user_class(scenario, base_url)])
    runner = env.create_local_runner()
    errors: dict[str, int] = {}

    def on_request(name, exception, **kwargs):
        if exception is not None and name == scenario["name"]:
            key = str(exception)[:120]
            errors[key] = errors.get(key, 0) + 1

    env.events.request.add_listener(on_request)
    runner.start(users, spawn_rate=users)
    gevent.sleep(warmup)
    env.stats.reset_all()
    errors.clear()
    started = time.monotonic()
    gevent.sleep(duration)
    stats = env.stats.get(scenario["name"], scenario["method"])
    elapsed = time.monotonic() - started
    result = {
        "users": users,
        "seconds": round(elapsed, 2),
        "requests": stats.num_requests,
        "errors": stats.num_failures,
        "error_kinds": errors.copy(),
        "rps": round(stats.num_requests / elapsed, 1) if elapsed else 0.0,
        "p50_ms": stats.get_response_time_percentile(0.5)
        if stats.num_requests
        else None,
        "p95_ms": stats.get_response_time_percentile(0.95)
        if stats.num_requests
        else None,
        "mean_ms": round(stats.avg_response_time, 1) if stats.num_requests else None,
    }
    runner.quit()
    return result


def median(values: list) -> float | None:
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    mid = len(values) // 2
    return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def reference_summary(runs: list[dict]) -> dict:
    """The reference row of a level: the median of its paired runs."""
    summary = {k: median([r[k] for r in runs]) for k in ("rps", "p50_ms", "p95_ms")}
    summary.update(
        users=runs[0]["users"],
        runs=len(runs),
        requests=sum(r["requests"] for r in runs),
        errors=sum(r["errors"] for r in runs),
        rps_all=[r["rps"] for r in runs],
    )
    return summary


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    base_url = sys.argv[3]
    levels = [int(x) for x in os.environ.get("BENCH_LEVELS", "8,32").split(",")]
    warmup = float(os.environ.get("BENCH_WARMUP", "3"))
    duration = float(os.environ.get("BENCH_DURATION", "12"))
    only = {s for s in os.environ.get("BENCH_SCENARIOS", "").split(",") if s}
    by_name = {s["name"]: s for s in plan["scenarios"]}
    reference = by_name["reference"]
    signed_in_reference = by_name.get("reference_signed_in")
    if signed_in_reference is not None and not signed_in_reference["ready"]:
        signed_in_reference = None
    references = {"reference", "reference_signed_in"}
    scenarios = [
        s
        for s in plan["scenarios"]
        if s["ready"]
        and s["name"] not in references
        and (not only or s["name"] in only)
    ]
    results: dict = {"reference": {}, "reference_signed_in": {}}

    def measure(scenario: dict, users: int) -> dict:
        result = run_level(scenario, base_url, users, warmup, duration)
        print(
            f"[load] {scenario['name']:<10} c={users:<3} {result['rps']:>7} req/s "
            f"p50={result['p50_ms']} p95={result['p95_ms']} ms "
            f"errors={result['errors']}",
            flush=True,
        )
        return result

    # The machine is shared: the reference is measured right before each
    # scenario, and each scenario's ratio is to that neighbouring run.
    for users in levels:
        reference_runs = []
        signed_in_runs = []
        for scenario in scenarios or [None]:
            ref = measure(reference, users)
            reference_runs.append(ref)
            if scenario is None:
                continue
            signed_in_ref = None
            if scenario.get("signed_in") and signed_in_reference is not None:
                signed_in_ref = measure(signed_in_reference, users)
                signed_in_runs.append(signed_in_ref)
            result = measure(scenario, users)
            result["reference_rps"] = ref["rps"]
            if signed_in_ref is not None:
                result["reference_signed_in_rps"] = signed_in_ref["rps"]
            results.setdefault(scenario["name"], {})[str(users)] = result
            out.write_text(json.dumps(results, indent=1))
        results["reference"][str(users)] = reference_summary(reference_runs)
        if signed_in_runs:
            results["reference_signed_in"][str(users)] = reference_summary(
                signed_in_runs
            )
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
