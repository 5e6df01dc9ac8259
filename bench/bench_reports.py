"""Benchmark: the programme reports on PostgreSQL at scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_reports \
    REDIS_URL=redis://127.0.0.1:6379/7 .venv/bin/python bench/bench_reports.py

Uses the database named in DATABASE_URL (migrated here if needed). When it
holds fewer than 100,000 enrolments it is seeded: with `manage.py
generate_scale_data` when that command exists, otherwise with the bulk SQL
below (100,000 enrolments, 1,000,000 progress rows, 10,000 cohorts in a
cascade tree, certificates for completed enrolments).

Prints, per report page: median render time (in-process, Django test client,
signed in as a superuser) cold (chart cache emptied before each render) and
warm (chart data cached), its query count, beside the time PostgreSQL needs
for the page's main aggregate alone and for every statement the page ran
(timed raw), as ratios; then a 100,000-row CSV export (time, tracemalloc
peak, RSS growth). Not part of the test suite."""

from __future__ import annotations

import os
import statistics
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.test")
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/relais_reports"
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pgdatabase import create_if_missing  # noqa: E402

ENROLMENTS = 100_000
COHORTS = 10_000
PROGRESS_PER_ENROLMENT = 10
COURSES = 4
RUNS = 7
COUNTRIES = ["BR", "CM", "CR", "SV", "KG", "UG", "FR", "SN", "MA", "TN"]


def log(message: str) -> None:
    print(message, flush=True)


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench_reports needs PostgreSQL (set DATABASE_URL)")
    create_if_missing(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from home.services import site_ensure

    site_ensure()


def seed() -> None:
    from enrolment.models import Enrolment

    existing = Enrolment.objects.count()
    if existing >= ENROLMENTS:
        log(f"scale data present: {existing} enrolments (reused)")
        return
    if "generate_scale_data" in get_commands():
        log("seeding with generate_scale_data")
        call_command("generate_scale_data")
        return
    log("generate_scale_data not available: seeding with bulk SQL")
    seed_sql()


def seed_sql() -> None:
    from tests.factories import make_course

    t0 = time.perf_counter()
    courses = [
        make_course(title=f"Bench course {n}", modules=3, lessons_per_module=4)
        for n in range(COURSES)
    ]
    course_ids = [c.pk for c in courses]
    from tests.factories import course_lessons

    with connection.cursor() as cur:
        cur.execute("CREATE TEMP TABLE bench_lessons (course_n int, n int, id int)")
        for i, course in enumerate(courses):
            for n, lesson in enumerate(course_lessons(course)):
                cur.execute(
                    "INSERT INTO bench_lessons VALUES (%s, %s, %s)", [i, n, lesson.pk]
                )
        cur.execute(
            """
            INSERT INTO accounts_user (password, is_superuser, first_name, last_name,
                is_staff, is_active, date_joined, email, country, institution,
                organisation_type, preferred_language, gender)
            SELECT '!', false, 'First' || g, 'Last' || g, false, true, now(),
                'bench' || g || '@example.org', (%s::text[])[1 + g %% 10],
                'Institution ' || (g %% 300), (ARRAY['government','border',
                'civil_society','academia'])[1 + g %% 4], 'en',
                (ARRAY['woman','man','not_stated'])[1 + g %% 3]
            FROM generate_series(1, %s) g
            """,
            [COUNTRIES, ENROLMENTS],
        )
        cur.execute("SELECT min(id) FROM accounts_user WHERE email LIKE 'bench%%'")
        first_user = cur.fetchone()[0]
        cur.execute(
            """
            INSERT INTO enrolment_cohort (course_id, name, country, institution,
                language, mode, enrolment_key, created_at)
            SELECT (%s::int[])[1 + g %% %s], 'Cohort ' || g,
                (%s::text[])[1 + g %% 10], 'Institution ' || (g %% 300),
                'en', 'online', '', now()
            FROM generate_series(0, %s - 1) g
            """,
            [course_ids, COURSES, COUNTRIES, COHORTS],
        )
        cur.execute("SELECT min(id) FROM enrolment_cohort WHERE name LIKE 'Cohort %%'")
        base = cur.fetchone()[0]
        # A cascade tree: cohort k's parent is cohort (k - 1) / 5 (same course
        # is not required for the figures), trainers are enrolled users.
        cur.execute(
            """
            UPDATE enrolment_cohort SET
                parent_id = CASE WHEN id - %s >= 4 THEN %s + (id - %s) / 5 END,
                trainer_id = %s + (id - %s)
            WHERE id >= %s
            """,
            [base, base, base, first_user, base, base],
        )
        cur.execute(
            """
            INSERT INTO enrolment_enrolment (user_id, course_id, cohort_id, status,
                source, enrolled_at, completed_at)
            SELECT %s + g, (%s::int[])[1 + g %% %s], %s + (g %% %s),
                CASE WHEN g %% 10 < 3 THEN 'completed'
                     WHEN g %% 10 = 9 THEN 'withdrawn' ELSE 'active' END,
                'self',
                now() - ((g %% 730) || ' days')::interval,
                CASE WHEN g %% 10 < 3
                     THEN now() - ((g %% 730) || ' days')::interval
                          + ((5 + g %% 60) || ' days')::interval END
            FROM generate_series(0, %s - 1) g
            """,
            [first_user, course_ids, COURSES, base, COHORTS, ENROLMENTS],
        )
        cur.execute(
            """
            INSERT INTO enrolment_lessonprogress (enrolment_id, lesson_id, completed_at)
            SELECT e.id, l.id, e.enrolled_at + (l.n || ' days')::interval
            FROM enrolment_enrolment e
            JOIN bench_lessons l
              ON l.course_n = array_position(%s::int[], e.course_id) - 1
             AND l.n < %s
            """,
            [course_ids, PROGRESS_PER_ENROLMENT],
        )
        from enrolment.services.progress import furthest_lesson_refresh

        furthest_lesson_refresh()  # what the drop-off groups by
        cur.execute(
            """
            INSERT INTO certificates_certificate (kind, enrolment_id, user_id, code,
                status, language, facts, pdf, sha256, created_at, issued_at,
                revoked_at, revoked_reason, attempts, last_error)
            SELECT 'course', e.id, e.user_id, 'BENCH' || e.id,
                CASE WHEN e.id %% 20 = 0 THEN 'revoked'
                     WHEN e.id %% 7 = 0 THEN 'pending' ELSE 'issued' END,
                'en', '{}', '', '', e.completed_at,
                CASE WHEN e.id %% 7 = 0 AND e.id %% 20 <> 0 THEN NULL
                     ELSE e.completed_at END,
                CASE WHEN e.id %% 20 = 0 THEN e.completed_at END, '', 0, ''
            FROM enrolment_enrolment e WHERE e.status = 'completed'
            """
        )
        cur.execute("ANALYZE")
    log(f"seeded in {time.perf_counter() - t0:.1f}s")


def sizes() -> str:
    from certificates.models import Certificate
    from enrolment.models import Cohort, Enrolment, LessonProgress

    return (
        f"{Enrolment.objects.count()} enrolments, "
        f"{LessonProgress.objects.count()} progress rows, "
        f"{Cohort.objects.count()} cohorts, {Certificate.objects.count()} certificates"
    )


def raw_time(sql: str, params=()) -> float:
    """Median milliseconds PostgreSQL needs for one aggregate, raw."""
    times = []
    with connection.cursor() as cur:
        for _ in range(3):
            t0 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def clear_chart_cache() -> None:
    """Forget the reports' cached chart data (only those keys)."""
    from django.core.cache import cache

    try:
        client = cache._cache.get_client(write=True)
    except AttributeError:  # not Redis
        cache.clear()
        return
    keys = list(client.scan_iter(match="*reports:chart:*", count=1000))
    if keys:
        client.delete(*keys)


def page(client: Client, url: str, *, cold: bool) -> tuple[float, list[str]]:
    """Median ms over RUNS renders, and the SQL of one more render. Cold: the
    chart cache is emptied before each render (every aggregate runs)."""
    client.get(url)  # warm-up (Wagtail, templates, connections)
    times = []
    for _ in range(RUNS):
        if cold:
            clear_chart_cache()
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    if cold:
        clear_chart_cache()
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    return statistics.median(times), [q["sql"] for q in ctx.captured_queries]


def raw_all(statements: list[str]) -> float:
    """Median ms PostgreSQL needs to run the given statements, raw (one
    connection, no Django): what the page asked of the database."""
    times = []
    with connection.cursor() as cur:
        for _ in range(3):
            t0 = time.perf_counter()
            for sql in statements:
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue  # savepoints, server-side cursor bookkeeping
                cur.execute(sql)
                if cur.description:
                    cur.fetchall()
            times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main() -> None:
    ensure_database()
    seed()
    log(f"data: {sizes()}")
    from demo.accounts import ensure_verified_user
    from reports import selectors
    from reports.filters import ReportFilters

    admin = ensure_verified_user(
        email="bench-reports-admin@example.org", is_staff=True, is_superuser=True
    )
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    client = Client()
    client.force_login(admin)
    everything = ReportFilters()
    year = ReportFilters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))

    def sql_of(qs) -> tuple[str, tuple]:
        return qs.query.sql_with_params()

    from django.db.models import Count

    from enrolment.models import LessonProgress

    def grouped(filters, field):
        return sql_of(
            selectors.enrolment_scope(filters)
            .values(field)
            .annotate(n=Count("id"))
            .order_by()
        )

    base = "/admin/programme-reports/"
    # Each page beside the raw time of its main aggregate, written plainly.
    cases = [
        (
            "enrolments (by course)",
            f"{base}enrolments/",
            grouped(everything, "course_id"),
        ),
        (
            "enrolments (by country, 2025)",
            f"{base}enrolments/?by=country&date_from=2025-01-01&date_to=2025-12-31",
            grouped(year, "user__country"),
        ),
        (
            "enrolments (by cohort)",
            f"{base}enrolments/?by=cohort",
            grouped(everything, "cohort_id"),
        ),
        (
            "enrolments (by institution)",
            f"{base}enrolments/?by=institution",
            grouped(everything, "user__institution"),
        ),
        (
            "completion",
            f"{base}completion/",
            (
                # The drop-off: enrolments per course and furthest lesson.
                "SELECT course_id, furthest_lesson_id, count(*)"
                " FROM enrolment_enrolment GROUP BY 1, 2",
                (),
            ),
        ),
        (
            "certificates",
            f"{base}certificates/",
            (
                "SELECT e.course_id, c.status, count(*) FROM certificates_certificate"
                " c JOIN enrolment_enrolment e ON e.id = c.enrolment_id"
                " GROUP BY 1, 2",
                (),
            ),
        ),
        ("cascades", f"{base}cascades/", None),
    ]
    log("")
    log(
        "cold: chart cache emptied before each render; warm: chart data cached "
        f"(reports.selectors.CHART_CACHE_SECONDS = {selectors.CHART_CACHE_SECONDS})"
    )
    log("PG main: the page's main aggregate, raw; PG page: every statement the")
    log("cold page ran, re-run raw on one connection. ratio = cold / PG.")
    log("")
    log(
        f"{'page':30} {'cold ms':>8} {'warm ms':>8} {'queries':>8} "
        f"{'PG main':>8} {'ratio':>6} {'PG page':>8} {'ratio':>6}"
    )
    for name, url, raw in cases:
        cold, statements = page(client, url, cold=True)
        warm, _warm_statements = page(client, url, cold=False)
        main_ms = raw_time(*raw) if raw else None
        page_ms = raw_all(statements)
        flag = "" if cold < 500 else "  (cold over 500 ms)"
        main_txt = (
            f"{main_ms:8.1f} {cold / main_ms:6.1f}" if main_ms else f"{'–':>8} {'–':>6}"
        )
        log(
            f"{name:30} {cold:8.1f} {warm:8.1f} {len(statements):8d} "
            f"{main_txt} {page_ms:8.1f} {cold / page_ms:6.1f}{flag}"
        )

    # The enrolment list export: 100,000 rows through the streaming generator.
    import resource

    from reports.exports import ENROLMENT_LIST_HEADER, csv_chunks, enrolment_list_rows

    def export_once() -> tuple[int, int]:
        size = lines = 0
        header = ENROLMENT_LIST_HEADER()
        for chunk in csv_chunks(header, enrolment_list_rows(everything)):
            size += len(chunk)
            lines += chunk.count("\n")
        return lines - 1, size

    # Time without tracemalloc (it slows every allocation), then memory.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    rows, size = export_once()
    seconds = time.perf_counter() - t0
    rss_growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    tracemalloc.start()
    export_once()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    export_sql = sql_of(
        selectors.enrolment_scope(everything)
        .values_list(
            "pk",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__country",
            "user__institution",
            "course__title",
            "cohort__name",
            "enrolled_at",
            "completed_at",
        )
        .order_by("pk")
    )
    pg = raw_time(*export_sql)
    progress_sql = sql_of(
        LessonProgress.objects.filter(completed_at__isnull=False)
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    pg_progress = raw_time(*progress_sql)
    log("")
    log(
        f"CSV export: {rows} rows, {size / 1e6:.1f} MB in {seconds:.2f} s, "
        f"peak traced memory {peak / 1e6:.1f} MB, max RSS growth "
        f"{rss_growth / 1024:.1f} MB; PostgreSQL alone: the same rows "
        f"{pg:.0f} ms (ratio {seconds * 1000 / pg:.1f}), lessons done per "
        f"enrolment as one aggregate {pg_progress:.0f} ms (the export counts "
        "them per 2,000-row chunk instead)"
    )


if __name__ == "__main__":
    main()
