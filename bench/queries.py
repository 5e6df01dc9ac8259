"""Where does a scenario's time go? Runs each scenario of the last plan once
in-process (test client, production settings, the bench database) and prints
the request time, its queries and the slowest of them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench \\
    REDIS_URL=redis://127.0.0.1:6379/8 SECRET_KEY=... \\
    .venv/bin/python bench/queries.py [scenario ...] [--all] [--explain] [--profile]

--time runs the request 40 more times and prints the median and best time.
--profile runs the request 30 more times under cProfile and prints the
functions with the most cumulative time (no extra dependency).

(`make bench` must have run once: it writes bench/results/<run>/plan.json.)
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.bench")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/relais_bench")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECRET_KEY", "bench-queries-" + "x" * 40 + "abcdefgh")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def latest_plan() -> dict:
    plans = sorted((ROOT / "bench" / "results").glob("*/plan.json"))
    if not plans:
        sys.exit("no plan: run `make bench` once")
    return json.loads(plans[-1].read_text())


def profile(call, path: str, times: int = 30) -> None:
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(times):
        call(path)
    profiler.disable()
    each = (time.perf_counter() - started) * 1000 / times
    print(f"  profile: {each:.1f} ms per request over {times} requests")
    stats = pstats.Stats(profiler)
    stats.sort_stats(os.environ.get("BENCH_PROFILE_SORT", "cumulative")).print_stats(45)


def main() -> None:
    from accounts.models import User
    from relais import page_cache

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    show_all = "--all" in sys.argv
    explain = "--explain" in sys.argv
    plan = latest_plan()
    for scenario in plan["scenarios"]:
        if not scenario["ready"] or (args and scenario["name"] not in args):
            continue
        account = scenario["users"][0]
        client = Client(HTTP_HOST="127.0.0.1")
        email = None
        if account["cookies"]:
            email = scenario.get("email") or None
        path = account["paths"][0]
        method = scenario["method"]
        if scenario["name"] in {"lesson", "dashboard", "mark_done"}:
            email = plan["accounts"]["reader"]
        elif scenario["name"] == "trainer":
            email = plan["accounts"]["trainer"]
        elif scenario["name"] == "report":
            email = plan["accounts"]["admin"]
        if email:
            client.force_login(User.objects.get(email=email))
        page_cache.invalidate_all()
        call = client.post if method == "POST" else client.get
        call(path)  # warm per-process caches and the route cache
        if not email:
            page_cache.invalidate_all()  # anonymous pages: measured uncached
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = call(path)
        total = (time.perf_counter() - started) * 1000
        in_sql = sum(float(q["time"]) for q in queries) * 1000
        print(
            f"\n== {scenario['name']} {method} {path} -> {response.status_code}: "
            f"{total:.0f} ms, {len(queries)} queries, {in_sql:.0f} ms in SQL"
        )
        if "--time" in sys.argv:
            timings = []
            for _ in range(40):
                started = time.perf_counter()
                call(path)
                timings.append((time.perf_counter() - started) * 1000)
            timings.sort()
            print(
                f"  time: median {timings[20]:.1f} ms, best {timings[0]:.1f} ms "
                "over 40 requests"
            )
        if "--profile" in sys.argv:
            profile(call, path)
        ranked = sorted(queries, key=lambda q: -float(q["time"]))
        for q in ranked if show_all else ranked[:5]:
            print(f"  {float(q['time']) * 1000:7.1f} ms  {q['sql'][:400]}")
            if explain and float(q["time"]) > 0.02 and q["sql"].startswith("SELECT"):
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN ANALYZE " + q["sql"])
                    for (line,) in cursor.fetchall():
                        print(f"            {line}")


if __name__ == "__main__":
    main()
