"""Dashboard and lesson page with the scale data (run generate_scale_data
first, on PostgreSQL). Prints the query count and the median render time,
measured in-process with Django's test client (50 runs after warm-up).

    DATABASE_URL=postgres://... .venv/bin/python bench/bench_enrolment.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.dev")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

RUNS = 50
TARGET_MS = 50


def measure(client: Client, url: str) -> tuple[int, float, float, int]:
    """Median wall time and median CPU time of this process (the latter is
    less disturbed by other loads on a shared machine)."""
    for _ in range(5):
        client.get(url)
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return (
        response.status_code,
        statistics.median(times),
        statistics.median(cpu),
        len(ctx.captured_queries),
    )


def main() -> None:
    from demo.management.commands.generate_scale_data import COURSE_SLUG
    from enrolment.models import Enrolment, LessonProgress

    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    enrolment = (
        Enrolment.objects.filter(course__slug=COURSE_SLUG, status="active")
        .select_related("user", "course")
        .order_by("pk")
        .first()
    )
    if enrolment is None:
        sys.exit("No scale data: run `manage.py generate_scale_data` first.")
    counts = {
        "enrolments": Enrolment.objects.count(),
        "progress rows": LessonProgress.objects.count(),
    }
    from courses.models import LessonPage

    lesson = (
        LessonPage.objects.live().descendant_of(enrolment.course).order_by("path")[5]
    )
    client = Client()
    client.force_login(enrolment.user)
    print(
        f"database: {connection.vendor}; "
        + ", ".join(f"{k}: {v:,}" for k, v in counts.items())
    )
    for name, url in [("dashboard", "/en/dashboard/"), ("lesson page", lesson.url)]:
        status, median, cpu, queries = measure(client, url)
        verdict = "OK" if median < TARGET_MS else "SLOW"
        print(
            f"{name:12} {url:60} status {status}  queries {queries:3}  median {median:6.1f} ms (cpu {cpu:5.1f} ms)  [{verdict} < {TARGET_MS} ms]"
        )


if __name__ == "__main__":
    main()
