"""A burst of completions issued and mailed by one worker, in seconds.

Needs PostgreSQL and Redis (the worker is a real `celery worker` process,
one pool process, as in production):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_certs \
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/bench_certificates.py

It creates the database and its tables (`migrate`) if needed, and its own
course, users and enrolments (named bench-cert-*), and removes its
certificates afterwards. BENCH_N completions (default 1000) are committed
with no worker running, each queuing its render after its commit; then one
worker starts and the clock runs from its first claim to the last email
marked sent (database timestamps). Target: the burst of 1,000 issued and
mailed by one worker, reported in seconds. The worker mails with Django's
file backend (production: SMTP)."""

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
# The worker's files (PDFs, mail) in a directory of this run; this process
# reads the same private storage.
WORKDIR = Path(tempfile.mkdtemp(prefix="bench-certs-"))
os.environ["PRIVATE_MEDIA_ROOT"] = str(WORKDIR / "private")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from pgdatabase import create_if_missing  # noqa: E402

N = int(os.environ.get("BENCH_N", "1000"))
# Messages reserved per pool process (acks_late keeps them safe).
PREFETCH = int(os.environ.get("BENCH_PREFETCH", "1"))


def setup_data(count: int):
    from accounts.models import User
    from courses.models import CoursePage
    from enrolment.models import Enrolment
    from home.services import site_ensure
    from tests.factories import make_course

    site_ensure()
    course = CoursePage.objects.filter(slug="bench-cert-course").first()
    if course is None:
        course = make_course(
            title="Bench certificates",
            slug="bench-cert-course",
            modules=1,
            lessons_per_module=1,
        )
    enrolments = []
    for i in range(count):
        user, _ = User.objects.get_or_create(
            email=f"bench-cert-{i}@example.org",
            defaults={"first_name": "Айгерим", "last_name": f"Токтогулова {i}"},
        )
        enrolment, _ = Enrolment.objects.get_or_create(
            user=user, course=course, defaults={"enrolled_at": timezone.now()}
        )
        enrolments.append(enrolment)
    return course, enrolments


def clear(course) -> None:
    from certificates.models import Certificate, CertificateEvent
    from enrolment.models import Enrolment

    CertificateEvent.objects.filter(certificate__enrolment__course=course).delete()
    Certificate.objects.filter(enrolment__course=course).delete()
    Enrolment.objects.filter(course=course).update(status="active", completed_at=None)


def complete_all(enrolments) -> list[int]:
    """Complete each enrolment in its own commit, as participants do; each
    commit queues its certificate's render. Returns the certificates' ids."""
    from certificates.services import certificate_request_for_enrolment

    pks = []
    for enrolment in enrolments:
        with transaction.atomic():
            enrolment.status = "completed"
            enrolment.completed_at = timezone.now()
            enrolment.save(update_fields=["status", "completed_at"])
            pks.append(certificate_request_for_enrolment(enrolment=enrolment).pk)
    return pks


def wait_all(pks: list[int], field: str, timeout: float) -> float:
    """Wait until every certificate has `field` set; the latest, as a Unix time."""
    from certificates.models import Certificate

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        times = Certificate.objects.filter(
            pk__in=pks, **{f"{field}__isnull": False}
        ).values_list(field, flat=True)
        if len(times) == len(pks):
            return max(times).timestamp()
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {field}")


def main() -> None:
    if (
        not settings.REDIS_URL
        or "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    create_if_missing(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from certificates.models import Certificate
    from relais.celery import app
    from tests.workers import Worker

    queue = f"bench-certs-{os.getpid()}"
    worker = Worker(
        workdir=WORKDIR,
        queue=queue,
        redis_url=settings.REDIS_URL,
        concurrency=1,
        extra_args=[f"--prefetch-multiplier={PREFETCH}"],
    )
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue

    course, enrolments = setup_data(N)
    clear(course)
    try:
        pks = complete_all(enrolments)
        worker.start(timeout=600)
        timeout = 60 + N * 2.0
        issued = wait_all(pks, "issued_at", timeout)
        emailed = wait_all(pks, "emailed_at", timeout)
        first_claim = min(
            Certificate.objects.filter(pk__in=pks).values_list("claimed_at", flat=True)
        ).timestamp()
        mails = len(worker.sent_mail())
    finally:
        worker.stop()
        clear(course)
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(queue)
    print(
        f"one worker (prefork, concurrency 1, prefetch {PREFETCH}), a burst of "
        f"{N} completions:"
    )
    print(f"  all issued after        {issued - first_claim:8.1f} s")
    print(f"  all issued and mailed   {emailed - first_claim:8.1f} s  ({mails} mails)")
    print(f"  per certificate         {1000 * (emailed - first_claim) / N:8.1f} ms")


if __name__ == "__main__":
    main()
