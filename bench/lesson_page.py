"""The signed-in lesson page, in-process: its time (median of many requests),
SQL queries and Redis round trips, with Wagtail's routing below the catalogue
as the code has it and, for comparison in the same run, with Wagtail's plain
tree walk (`Page.route`, one child at a time).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_lessonbench \\
    REDIS_URL=redis://127.0.0.1:6379/12 .venv/bin/python bench/lesson_page.py

Uses its own database (created, migrated and filled on the first run with the
demo content and a small scale data set: a 100-lesson course, 2,000
participants, 20,000 progress rows), production settings, Django's test
client. `--requests N` (default 300 per arm, after 30 of warm-up); the two
arms alternate in blocks of 20 so that drift on a shared machine hits both.
Not a test: it prints figures (docs/performance.md keeps the last ones).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.bench")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/relais_lessonbench"
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/12")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECRET_KEY", "bench-lesson-" + "x" * 40 + "abcdefgh")

from bench.pgdatabase import create_if_missing  # noqa: E402

create_if_missing(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from wagtail.models import Page  # noqa: E402

from tests.redis_round_trips import count_round_trips, counting_caches  # noqa: E402

BLOCK = 20


def prepare():
    from enrolment.models import Enrolment

    call_command("migrate", verbosity=0)
    if Enrolment.objects.count() < 2000:
        call_command("setup_site", verbosity=0)
        call_command("load_demo", verbosity=0)
        call_command(
            "generate_scale_data",
            participants=2000,
            cohorts=200,
            progress=20000,
            verbosity=0,
        )
    from demo.management.commands.generate_scale_data import COURSE_SLUG

    enrolment = (
        Enrolment.objects.filter(
            status=Enrolment.Status.ACTIVE, course__slug=COURSE_SLUG
        )
        .select_related("user", "course")
        .order_by("pk")
        .first()
    )
    from courses.selectors import course_live_lessons

    lessons = list(course_live_lessons(course=enrolment.course))
    return enrolment.user, lessons[len(lessons) // 2]


def arms():
    """(name, route method of the catalogue page) for each arm."""
    from courses.models import CourseIndexPage

    found = [("as built", CourseIndexPage.route)]
    if CourseIndexPage.route is not Page.route:
        found.append(("Wagtail's walk (Page.route)", Page.route))
    return found


def use(route):
    # Bench only: puts the catalogue page's routing back to Wagtail's own for
    # the comparison arm (the application never swaps methods).
    from courses.models import CourseIndexPage

    CourseIndexPage.route = route


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--show", action="store_true", help="print the SQL")
    args = parser.parse_args()
    user, lesson = prepare()
    url = lesson.get_url()
    client = Client()
    chosen = arms()
    times = {name: [] for name, _ in chosen}
    counts = {}
    # Static URLs without collectstatic's manifest (the page is the same).
    storages = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    with override_settings(CACHES=counting_caches(settings.CACHES), STORAGES=storages):
        client.force_login(user)
        for name, route in chosen:
            use(route)
            for _ in range(30):
                assert client.get(url).status_code == 200
            with (
                CaptureQueriesContext(connection) as queries,
                count_round_trips() as trips,
            ):
                client.get(url)
            counts[name] = (len(queries), trips.count)
            if args.show:
                print(name, *(q["sql"][:160] for q in queries), sep="\n  ")
        for _ in range(0, args.requests, BLOCK):
            for name, route in chosen:
                use(route)
                for _ in range(BLOCK):
                    started = time.perf_counter()
                    client.get(url)
                    times[name].append((time.perf_counter() - started) * 1000)
    use(chosen[0][1])
    print(f"signed-in lesson page {url} ({len(times[chosen[0][0]])} requests per arm)")
    for name, _ in chosen:
        queries, trips = counts[name]
        print(
            f"  {name:30} median {statistics.median(times[name]):6.2f} ms"
            f"  p90 {statistics.quantiles(times[name], n=10)[-1]:6.2f} ms"
            f"  {queries} SQL queries  {trips} Redis round trips"
        )


if __name__ == "__main__":
    main()
