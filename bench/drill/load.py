"""The load of `make drill`: Locust (FastHttpUser) used as a library,
headless, in its own process (`python -m bench.drill.load`), against the
load balancer. Like bench/loadgen.py, each user sends its next request when
the previous one is answered (no think time).

  throughput OUT PLAN BASE SCENARIO USERS SECONDS   catalogue or lesson alone
  mixed OUT PLAN BASE SECONDS                        visitors, readers, completers
  checks OUT PLAN BASE                               sessions and rate limits across hosts

"mixed" is the load under which the drill kills hosts: visitors on the
catalogue and a course page, participants reading lessons, and participants
completing the drill course (one lesson page for the CSRF token, then the
three "done" marks), each completer on a fresh enrolled account. Every
request is recorded with its wall-clock time, so that errors can be put
beside the kills, and with the web host that answered (the balancer's
X-Relais-Host header)."""

from __future__ import annotations

# Locust patches the standard library with gevent on import: import it first.
from locust import FastHttpUser, constant, task  # isort: skip
from locust.env import Environment  # isort: skip

import itertools
import json
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import gevent  # type: ignore[import-untyped]

from bench.browser import Browser
from bench.loadgen import CSRF_COOKIE, CSRF_INPUT, cookie_header

HOST_HEADER = "X-Relais-Host"


class Record:
    """Every request of the run: per second, per host, the errors."""

    def __init__(self) -> None:
        self.per_second: Counter[int] = Counter()
        self.errors_per_second: Counter[int] = Counter()
        self.hosts: Counter[str] = Counter()
        self.errors: list[dict] = []
        self.requests = 0
        self.completions = 0
        self.latencies: list[float] = []
        self.counting = True

    def add(self, name, response_time, response, exception) -> None:
        if not self.counting:
            return
        now = time.time()
        self.requests += 1
        self.per_second[int(now)] += 1
        self.latencies.append(response_time)
        host = (
            response.headers.get(HOST_HEADER) if response is not None else None
        ) or "-"
        self.hosts[host] += 1
        if exception is not None:
            self.errors_per_second[int(now)] += 1
            if len(self.errors) < 200:
                status = getattr(response, "status_code", None)
                self.errors.append(
                    {
                        "t": round(now, 2),
                        "name": name,
                        "status": status,
                        "host": host,
                        "error": str(exception)[:120],
                    }
                )

    def summary(self, seconds: float) -> dict:
        latencies = sorted(self.latencies)

        def pct(q: float) -> float | None:
            return latencies[int(q * (len(latencies) - 1))] if latencies else None

        return {
            "seconds": round(seconds, 2),
            "requests": self.requests,
            "rps": round(self.requests / seconds, 1) if seconds else 0,
            "errors": sum(self.errors_per_second.values()),
            "p50_ms": pct(0.5),
            "p95_ms": pct(0.95),
            "hosts": dict(self.hosts),
            "error_list": self.errors,
            "errors_per_second": {str(k): v for k, v in self.errors_per_second.items()},
            "requests_per_second": {str(k): v for k, v in self.per_second.items()},
            "completions_seen": self.completions,
        }


def check(response, expect=(200,)) -> None:
    if response.status_code not in expect:
        response.failure(f"status {response.status_code}")
    elif "/accounts/login" in (response.headers.get("location") or ""):
        response.failure("redirected to the login page")
    else:
        response.success()


def user_classes(plan: dict, base_url: str, record: Record, scenario: str):
    readers = itertools.cycle(plan["readers"])
    completers = iter(plan["completers"])
    lesson_paths = [lesson["path"] for lesson in plan["lessons"]]

    class Base(FastHttpUser):
        abstract = True
        host = base_url
        wait_time = constant(0)
        network_timeout = 30.0
        connection_timeout = 5.0
        max_retries = 0

        def get(self, path: str, name: str, cookies: dict | None = None):
            headers = {"Cookie": cookie_header(cookies)} if cookies else {}
            with self.client.get(
                path,
                name=name,
                headers=headers,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                check(response)
                return response

    class Visitor(Base):
        fixed_count = 4

        @task(3)
        def catalogue(self):
            self.get(plan["catalogue"], "catalogue")

        @task(1)
        def course(self):
            self.get(plan["course"], "course")

    class Reader(Base):
        fixed_count = 4

        def on_start(self):
            self.cookies = dict(next(readers))
            self.paths = itertools.cycle(lesson_paths)

        @task
        def lesson(self):
            self.get(next(self.paths), "lesson", self.cookies)

    class Completer(Base):
        fixed_count = 4

        @task
        def complete_course(self):
            try:
                cookies = dict(next(completers))
            except StopIteration:  # every account of the pool completed
                gevent.sleep(1)
                return
            token = ""
            for _attempt in range(5):
                response = self.get(lesson_paths[0], "lesson (csrf)", cookies)
                found = CSRF_INPUT.search(response.content or b"")
                set_cookie = response.headers.get("set-cookie") or ""
                if isinstance(set_cookie, list | tuple):
                    set_cookie = "; ".join(set_cookie)
                cookie = CSRF_COOKIE.search(set_cookie)
                if found and cookie:
                    token = found.group(1).decode()
                    cookies["csrftoken"] = cookie.group(1)
                    break
            if not token:
                return
            headers = {"Cookie": cookie_header(cookies), "X-CSRFToken": token}
            for lesson in plan["lessons"]:
                # Marking a lesson done is idempotent: a person whose request
                # failed presses the button again.
                for _attempt in range(5):
                    with self.client.post(
                        f"/en/lessons/{lesson['id']}/done/",
                        name="done",
                        headers=headers,
                        data="",
                        allow_redirects=False,
                        catch_response=True,
                    ) as response:
                        check(response, expect=(302, 303))
                        if response.status_code in (302, 303):
                            break
                else:
                    return
            record.completions += 1

    if scenario == "catalogue":
        return [type("CatalogueVisitor", (Visitor,), {"fixed_count": 0})]
    if scenario == "lesson":
        return [type("LessonReader", (Reader,), {"fixed_count": 0})]
    return [Visitor, Reader, Completer]


def run(plan, base_url, scenario: str, users: int, seconds: float, warmup: float):
    record = Record()
    env = Environment(user_classes=user_classes(plan, base_url, record, scenario))
    env.events.request.add_listener(
        lambda name, response_time, response=None, exception=None, **kw: record.add(
            name, response_time, response, exception
        )
    )
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    if warmup:
        record.counting = False
        gevent.sleep(warmup)
        record.__init__()  # type: ignore[misc]
    started = time.time()
    record.started = started  # type: ignore[attr-defined]
    gevent.sleep(seconds)
    record.counting = False
    elapsed = time.time() - started
    runner.quit()
    summary = record.summary(elapsed)
    summary["started"] = started
    return summary


def checks(plan: dict, base_url: str) -> dict:
    """Sessions and rate limits across hosts (issue 19 item 4): a person who
    signs in through the balancer stays signed in while their requests
    alternate between the hosts; six wrong passwords from one address, their
    posts spread over both hosts, are refused as one count."""
    port = urlsplit(base_url).port or 80

    def served_by(response) -> str:
        return response.headers.get(HOST_HEADER) or "-"

    person = Browser(port, "127.0.0.2", timeout=30)
    response, _ = person.sign_in(plan["sign_in"]["email"], plan["sign_in"]["password"])
    signed_in = response.status == 302
    dashboard_hosts: Counter[str] = Counter()
    stayed = 0
    for _ in range(10):
        response, _page = person.request("GET", plan["dashboard"])
        dashboard_hosts[served_by(response)] += 1
        stayed += response.status == 200
    session_ok = signed_in and stayed == 10 and len(dashboard_hosts) >= 2

    # One sign-in form, then the posts alone: the balancer's round robin
    # sends consecutive requests to alternate hosts, so the posts do too.
    attacker = Browser(port, "127.0.0.3", timeout=30)
    token = attacker.csrf_token()
    post_hosts: list[str] = []
    page = ""
    for attempt in range(6):
        response, page = attacker.post_sign_in(
            token, plan["sign_in"]["email"], f"wrong-{attempt}"
        )
        post_hosts.append(served_by(response))
    refused = "Too many failed login attempts" in page
    return {
        "session": "ok" if session_ok else "FAILED",
        "session_detail": {
            "signed_in": signed_in,
            "dashboard_200": stayed,
            "hosts": dict(dashboard_hosts),
        },
        "rate_limit": "ok" if refused and len(set(post_hosts)) >= 2 else "FAILED",
        "rate_limit_detail": {"sixth_refused": refused, "hosts": post_hosts},
    }


def main() -> None:
    mode, out, plan_path, base_url, *rest = sys.argv[1:]
    plan = json.loads(Path(plan_path).read_text())
    if mode == "checks":
        result = checks(plan, base_url)
        Path(out).write_text(json.dumps(result, indent=1))
        return
    if mode == "throughput":
        scenario, users, seconds = rest[0], int(rest[1]), float(rest[2])
        result = run(plan, base_url, scenario, users, seconds, warmup=2.0)
    elif mode == "mixed":
        result = run(plan, base_url, "mixed", 12, float(rest[0]), warmup=0.0)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    Path(out).write_text(json.dumps(result, indent=1))
    print(
        f"[drill:load] {mode} {rest[0]}: {result['requests']} requests, "
        f"{result['rps']} req/s, {result['errors']} errors, hosts {result['hosts']}",
        flush=True,
    )


if __name__ == "__main__":
    main()
