"""The load of `make drill` (bench/drill.py): Locust (FastHttpUser) used as a
library, headless, in its own process, against the load balancer. Like
bench/loadgen.py, each user sends its next request when the previous one is
answered (no think time).

  throughput PLAN OUT BASE SCENARIO USERS SECONDS   catalogue or lesson alone
  mixed PLAN OUT BASE SECONDS                        visitors, readers, completers

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

import gevent
from loadgen import CSRF_COOKIE, CSRF_INPUT, cookie_header

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
    alternate between the hosts; six wrong passwords spread over both hosts
    from one address are refused as one count."""
    import http.client
    from http.cookies import SimpleCookie
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(base_url)

    def request(cookies, method, path, body=None, source="127.0.0.1"):
        conn = http.client.HTTPConnection(
            parts.hostname, parts.port, timeout=30, source_address=(source, 0)
        )
        headers = {"Host": "127.0.0.1"}
        if cookies:
            headers["Cookie"] = cookie_header(cookies)
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                cookies[name] = morsel.value
        conn.close()
        return response, content

    def sign_in(cookies, email, password, source):
        _, page = request(cookies, "GET", "/en/accounts/login/", source=source)
        token = CSRF_INPUT.search(page)
        response, page = request(
            cookies,
            "POST",
            "/en/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1).decode() if token else "",
                "login": email,
                "password": password,
            },
            source=source,
        )
        return response, page

    person: dict = {}
    response, _ = sign_in(
        person, plan["sign_in"]["email"], plan["sign_in"]["password"], "127.0.0.2"
    )
    signed_in = response.status == 302
    served_by: Counter[str] = Counter()
    stayed = 0
    for _ in range(10):
        response, page = request(person, "GET", plan["dashboard"], source="127.0.0.2")
        served_by[response.headers.get(HOST_HEADER) or "-"] += 1
        stayed += response.status == 200
    session_ok = signed_in and stayed == 10 and len(served_by) >= 2
    attacker: dict = {}
    hosts_hit: Counter[str] = Counter()
    refused = False
    for attempt in range(6):
        response, page = sign_in(
            attacker, plan["sign_in"]["email"], f"wrong-{attempt}", "127.0.0.3"
        )
        hosts_hit[response.headers.get(HOST_HEADER) or "-"] += 1
        refused = b"Too many failed login attempts" in page
    return {
        "session": "ok" if session_ok else "FAILED",
        "session_detail": {
            "signed_in": signed_in,
            "dashboard_200": stayed,
            "hosts": dict(served_by),
        },
        "rate_limit": "ok" if refused and len(hosts_hit) >= 2 else "FAILED",
        "rate_limit_detail": {"sixth_refused": refused, "hosts": dict(hosts_hit)},
    }


def main() -> None:
    mode, plan_path, out, base_url, *rest = sys.argv[1:]
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
