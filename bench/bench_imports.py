"""A 20,000-row participant import: the dry run in-process, then the job and
its welcome mails on one worker, in seconds.

Needs PostgreSQL and Redis (the worker is a real `celery worker` process):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_imports \
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/bench_imports.py

It creates the database and its tables (`migrate`) if needed, its own course
and cohort (bench-import-*), imports BENCH_N rows (default 20,000, the
largest file allowed) of new accounts, and removes them afterwards. The
clock for the job runs from its claim of the first chunk (started_at) to the
last chunk (finished_at), and to the last welcome mail marked sent
(database timestamps). BENCH_CONCURRENCY pool processes (default 2). The
worker mails with Django's file backend (production: SMTP, slower per mail:
the mails are their own tasks so that more workers send them faster)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.dev")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-imports-"))
os.environ["PRIVATE_MEDIA_ROOT"] = str(WORKDIR / "private")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from pgdatabase import create_if_missing  # noqa: E402

N = int(os.environ.get("BENCH_N", "20000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "2"))
PREFIX = "bench-import-"
ADMIN = "staff-of-bench-imports@example.invalid"


def setup_cohort():
    from courses.models import CoursePage
    from enrolment.models import Cohort
    from home.services import site_ensure
    from tests.factories import make_cohort, make_course

    site_ensure()
    course = CoursePage.objects.filter(slug="bench-import-course").first()
    if course is None:
        course = make_course(
            title="Bench imports",
            slug="bench-import-course",
            modules=1,
            lessons_per_module=1,
        )
    cohort = Cohort.objects.filter(course=course, name="bench-import-cohort").first()
    return cohort or make_cohort(course=course, name="bench-import-cohort")


def clear() -> None:
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from enrolment.models import Enrolment, EnrolmentEvent, ImportJob

    users = User.objects.filter(email__startswith=PREFIX)
    ImportJob.objects.filter(created_by__email=ADMIN).delete()
    EnrolmentEvent.objects.filter(enrolment__user__in=users).delete()
    Enrolment.objects.filter(user__in=users).delete()
    EmailAddress.objects.filter(user__in=users).delete()
    users.delete()


def csv_data(n: int, cohort) -> bytes:
    lines = ["email,first name,last name,country,institution,cohort\n"]
    lines += [
        f"{PREFIX}{i}@example.org,Айгерим {i},Токтогулова,Kyrgyzstan,"
        f"Ministry of Labour {i % 40},{cohort.pk}\n"
        for i in range(n)
    ]
    return "".join(lines).encode()


def wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.5)
    raise SystemExit(f"timed out waiting for {what}")


def main() -> None:
    if (
        not settings.REDIS_URL
        or "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    create_if_missing(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from accounts.models import User
    from enrolment.models import ImportJob, ImportRow
    from enrolment.services.imports import import_dry_run, import_start
    from relais.celery import app
    from tests.workers import Worker

    queue = f"bench-imports-{os.getpid()}"
    worker = Worker(
        workdir=WORKDIR,
        queue=queue,
        redis_url=settings.REDIS_URL,
        concurrency=CONCURRENCY,
    )
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    admin, _ = User.objects.get_or_create(email=ADMIN, defaults={"is_staff": True})
    cohort = setup_cohort()
    clear()
    data = csv_data(N, cohort)
    try:
        worker.start(timeout=600)
        started = time.monotonic()
        dry_run = import_dry_run(data=data, default_cohort=None, actor=admin)
        dry = time.monotonic() - started
        assert dry_run.ok and dry_run.job is not None, dry_run.bad[:3]
        with transaction.atomic():
            job = import_start(token=dry_run.job.token, actor=admin)
        assert job is not None
        timeout = 120 + N * 0.5
        wait(
            lambda: ImportJob.objects.filter(pk=job.pk, status="done").exists(),
            timeout,
            "the job",
        )
        job.refresh_from_db()
        rows = ImportRow.objects.filter(job=job)
        wait(
            lambda: rows.filter(mailed_at__isnull=False).count() == N,
            timeout,
            "the mails",
        )
        last_mail = max(rows.values_list("mailed_at", flat=True))
        worker.wait_idle(timeout=120)
        # A file of the file backend may hold several messages: count them.
        mails = sum(text.count("\nTo: ") for text in worker.sent_mail())
    finally:
        worker.stop()
        clear()
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    written = (job.finished_at - job.started_at).total_seconds()
    mailed = (last_mail - job.started_at).total_seconds()
    print(f"a {N}-row import, one worker (prefork, concurrency {CONCURRENCY}):")
    print(f"  dry run (in-process)         {dry:8.1f} s")
    print(
        f"  job: all rows written after  {written:8.1f} s  ({N / written:.0f} rows/s)"
    )
    print(f"  all written and mailed after {mailed:8.1f} s  ({mails} mails)")


if __name__ == "__main__":
    main()
