"""Certificates per second for one worker process, and the time from the
completion commit to `issued`, beside a bare ReportLab loop in the same run.

Needs PostgreSQL and Redis (the worker is a real `celery worker` process):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_bench_certs \
    REDIS_URL=redis://127.0.0.1:6379/4 .venv/bin/python bench/bench_certificates.py

It creates the database and its tables (`migrate`) if needed, and its own
course, users and enrolments (named bench-cert-*), and removes its
certificates afterwards. Target: the worker reaches at least half the bare
loop's rate. Then it runs the render task's path in its own process, stage
by stage (BENCH_STAGE_N certificates, default 100), and prints what each
stage costs per certificate beside the bare page. In the bench the worker
sends mail with Django's file backend (production: SMTP)."""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform"), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.dev")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from pgdatabase import create_if_missing  # noqa: E402

N = int(os.environ.get("BENCH_N", "200"))
LATENCY_N = int(os.environ.get("BENCH_LATENCY_N", "40"))
STAGE_N = int(os.environ.get("BENCH_STAGE_N", "100"))
# The worker's settings for the run (printed with the results):
#   BENCH_POOL=prefork|solo  prefork: a parent and one child process, as in
#                            production; solo: the tasks run in the one process
#   BENCH_PREFETCH=1         messages reserved per pool process (acks_late
#                            keeps them safe: unacked messages are redelivered)
POOL = os.environ.get("BENCH_POOL", "prefork")
PREFETCH = int(os.environ.get("BENCH_PREFETCH", "1"))


def bare_loop(n: int) -> float:
    """One-page A4 canvases with one embedded TTF font: pages per second."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from certificates.rendering import FONT_DIR

    # ReportLab's own TTFont (not the certificates' CachedSubsetFont): the
    # font is subset and compressed in every document, as ReportLab does.
    pdfmetrics.registerFont(TTFont("BareDejaVuSans", str(FONT_DIR / "DejaVuSans.ttf")))
    start = time.perf_counter()
    for i in range(n):
        buffer = io.BytesIO()
        c = canvas.Canvas(buffer, pagesize=landscape(A4))
        c.setFont("BareDejaVuSans", 24)
        c.drawCentredString(421, 300, f"Айгерим Токтогулова {i}")
        c.showPage()
        c.save()
    return n / (time.perf_counter() - start)


def in_process_render(n: int) -> float:
    from certificates.rendering import render_pdf

    facts = {
        "kind": "course",
        "name": "Ngozi Okonkwo-Adébáyọ̀",
        "course": "A holistic approach to the integration of migrants",
        "hours": "20.0",
        "date": "2025-03-04",
        "cohort": "Kampala 2025",
        "country": "UG",
        "signatory": "Dr. A. Example",
        "signatory_title": "Programme Director",
    }
    start = time.perf_counter()
    for _ in range(n):
        render_pdf(
            facts=facts,
            code="RLX-AAAA-BBBB-CCCC-DDDD",
            language="en",
            verify_url="http://127.0.0.1:8000/en/certificates/verify/RLX-AAAA/",
        )
    return n / (time.perf_counter() - start)


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
            user=user,
            course=course,
            defaults={"enrolled_at": timezone.now()},
        )
        enrolments.append(enrolment)
    return course, enrolments


def clear(course) -> None:
    from certificates.models import Certificate, CertificateEvent
    from enrolment.models import Enrolment

    CertificateEvent.objects.filter(certificate__enrolment__course=course).delete()
    Certificate.objects.filter(enrolment__course=course).delete()
    Enrolment.objects.filter(course=course).update(status="active", completed_at=None)


def complete_all(enrolments, *, enqueue: bool) -> dict[int, float]:
    """Complete each enrolment in its own commit; returns pk -> commit time."""
    from certificates.services import certificate_request_for_enrolment

    committed = {}
    for enrolment in enrolments:
        with transaction.atomic():
            enrolment.status = "completed"
            enrolment.completed_at = timezone.now()
            enrolment.save(update_fields=["status", "completed_at"])
            certificate = certificate_request_for_enrolment(enrolment=enrolment)
        committed[certificate.pk] = time.time()
    return committed


def wait_issued(
    pks, timeout: float = 600, field: str = "issued_at"
) -> dict[int, float]:
    """Wait until every certificate has `field` set (issued_at, emailed_at);
    returns pk -> that timestamp."""
    from certificates.models import Certificate

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = dict(
            Certificate.objects.filter(
                pk__in=pks, status="issued", **{f"{field}__isnull": False}
            ).values_list("pk", field)
        )
        if len(rows) == len(pks):
            return {pk: at.timestamp() for pk, at in rows.items()}
        time.sleep(0.05)
    raise SystemExit("timed out waiting for the worker")


def stage_profile(enrolments, queue: str) -> tuple[float, dict[str, float]]:
    """The render task's path run in this process, stage by stage, over the
    given enrolments (no worker, no Celery dispatch): what one certificate
    costs beside the render. Returns (ms per certificate, ms per stage)."""
    import collections
    import functools
    from unittest import mock

    from certificates import rendering, services

    spent: collections.Counter = collections.Counter()

    def timed(module, name, label):
        original = getattr(module, name)

        @functools.wraps(original)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return mock.patch.object(module, name, wrapper)

    with mock.patch.object(services, "_enqueue_render", lambda pk: None):
        pks = list(complete_all(enrolments, enqueue=False))
    services._enqueue_email(0)  # the broker connection, once (a worker has it)
    stages = [
        (services, "_claim_and_load", "claim + facts' rows (1 statement)"),
        (rendering, "qr_matrix", "QR matrix (segno), within the render"),
        (services, "render_pdf", "render_pdf (ReportLab, QR included)"),
        (services, "store_pdf", "store: temp file, fsync, rename"),
        (services, "_update_with_event", "issue: UPDATE + event, durable"),
        (services, "_enqueue_email", "publish the email task (Redis)"),
    ]
    patches = [timed(*stage) for stage in stages]
    for patch in patches:
        patch.start()
    try:
        start = time.perf_counter()
        for pk in pks:
            certificate = services.certificate_render(certificate_id=pk)
            services._enqueue_email(certificate.pk)
        elapsed = time.perf_counter() - start
        email_start = time.perf_counter()
        for pk in pks:
            services.certificate_email(certificate_id=pk)
        email = time.perf_counter() - email_start
    finally:
        for patch in patches:
            patch.stop()
    n = len(pks)
    per_stage = {label: spent[label] * 1000 / n for *_, label in stages}
    per_stage["email task in-process (claim, MIME, send, mark)"] = email * 1000 / n
    return elapsed * 1000 / n, per_stage


def main() -> None:
    if (
        not settings.REDIS_URL
        or "postgresql" not in settings.DATABASES["default"]["ENGINE"]
    ):
        sys.exit("Set DATABASE_URL (PostgreSQL) and REDIS_URL.")
    create_if_missing(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    from django.core.files.storage import storages

    from relais.celery import app
    from tests.workers import Worker as TestWorker

    class Worker(TestWorker):
        """The test worker with the bench's pool and prefetch."""

        def start(self, timeout: float = 30.0):
            import subprocess

            real_popen = subprocess.Popen

            def popen(args, **kwargs):
                args = [a for a in args if not a.startswith("--pool=")]
                args += [f"--pool={POOL}", f"--prefetch-multiplier={PREFETCH}"]
                return real_popen(args, **kwargs)

            subprocess.Popen = popen
            try:
                return super().start(timeout)
            finally:
                subprocess.Popen = real_popen

    workdir = Path(tempfile.mkdtemp(prefix="bench-certs-"))
    queue = f"bench-certs-{os.getpid()}"
    worker = Worker(
        workdir=workdir, queue=queue, redis_url=settings.REDIS_URL, concurrency=1
    )
    settings.STORAGES["private"]["OPTIONS"]["location"] = str(worker.private_root)
    storages._storages = {}
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue

    course, enrolments = setup_data(max(N, LATENCY_N, STAGE_N))
    clear(course)
    # On a shared machine a load spike during one loop skews it: the bare
    # loop and the in-process render run before and after the worker's
    # throughput phase, and the ratio uses the faster bare loop (the harder
    # target).
    bares = [bare_loop(N)]
    inprocs = [in_process_render(N)]
    try:
        # Throughput: queue N certificates with no worker running, then start
        # one; time it from the first claim to the last issue (database
        # timestamps; the emails queue behind the renders).
        from certificates.models import Certificate

        committed = complete_all(enrolments[:N], enqueue=True)
        worker.start(timeout=600)
        issued = wait_issued(list(committed))
        first_claim = min(
            Certificate.objects.filter(pk__in=list(committed)).values_list(
                "claimed_at", flat=True
            )
        ).timestamp()
        rate = (N - 1) / (max(issued.values()) - first_claim)
        # The emails are their own tasks, queued behind the renders; the
        # rate with them is the whole job's (render, store, email).
        emailed = wait_issued(list(committed), field="emailed_at")
        rate_email = (N - 1) / (max(emailed.values()) - first_claim)
        clear(course)
        bares.append(bare_loop(N))
        inprocs.append(in_process_render(N))
        # Latency: one completion at a time, worker idle.
        latencies = []
        for enrolment in enrolments[:LATENCY_N]:
            committed = complete_all([enrolment], enqueue=True)
            issued = wait_issued(list(committed))
            (pk,) = committed
            latencies.append((issued[pk] - committed[pk]) * 1000)
            wait_issued(list(committed), field="emailed_at")
        clear(course)
    finally:
        worker.stop()
    # Per stage, in this process, with the worker stopped (its queue is
    # purged after: the email tasks published here are not run).
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(worker.mail_dir)
    path_ms, stages = stage_profile(enrolments[:STAGE_N], queue)
    clear(course)
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(queue)
    bare, inproc = max(bares), max(inprocs)
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"bare ReportLab loop (A4, one TTF font):  {bare:8.1f} pages/s "
        f"(before, after the worker: {', '.join(f'{b:.1f}' for b in bares)})"
    )
    print(f"certificate render in-process (no I/O):  {inproc:8.1f} certificates/s")
    print(
        f"one worker (pool {POOL}, concurrency 1, prefetch {PREFETCH}), "
        f"{N} queued: {rate:8.1f} certificates/s"
    )
    print(
        f"worker / bare loop ratio:                {rate / bare:8.2f} (target >= 0.5)"
    )
    print(
        f"same, render + email, until the last email: {rate_email:8.1f} /s "
        f"(ratio {rate_email / bare:.2f})"
    )
    print(
        f"completion commit -> issued, {LATENCY_N} one at a time: "
        f"median {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms"
    )
    print(
        f"per certificate, in-process task path ({STAGE_N} renders, no Celery): "
        f"{path_ms:.2f} ms; at the worker rate: {1000 / rate:.2f} ms; "
        f"bare page: {1000 / bare:.2f} ms (the target is {2000 / bare:.2f} ms)"
    )
    for label, ms in stages.items():
        print(f"  {label:50s} {ms:6.2f} ms")


if __name__ == "__main__":
    main()
