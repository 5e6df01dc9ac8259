"""Certificates with a real Celery worker process on Redis and PostgreSQL:
races, duplicate deliveries, a killed worker, a broker outage. They skip
locally without DATABASE_URL/REDIS_URL; CI runs them."""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from certificates.credentials import credential_verify
from certificates.models import Certificate, CertificateJob
from certificates.services import (
    certificate_request_for_enrolment,
    certificates_regenerate_course,
    cohort_zip_build,
)
from certificates.tasks import (
    render_certificate,
    run_certificate_job,
    sweep_stuck_certificates,
)
from enrolment import hooks
from enrolment.models import Enrolment
from tests.conftest import require_services
from tests.factories import make_enrolment

from .conftest import complete
from .renderers import HOLD_FILE_VARIABLE

# serialized_rollback: the flush after a transactional test would otherwise
# remove the page tree that migrations create, and the next test needs it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for(predicate, timeout: float = 30.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def status_of(pk: int) -> str:
    return Certificate.objects.values_list("status", flat=True).get(pk=pk)


def pdfs(worker) -> list[Path]:
    return sorted((worker.private_root / "certificates").glob("*.pdf"))


def settle(worker) -> None:
    """Wait until the worker has nothing left to do, so that a wrongly
    duplicated task has run before the counts are read."""
    worker.wait_idle()


def test_twenty_concurrent_completions_give_one_certificate_pdf_and_email(
    celery_worker, completed_enrolment
):
    barrier = threading.Barrier(20)
    errors = []

    def complete_again():
        try:
            barrier.wait()
            with transaction.atomic():
                enrolment = Enrolment.objects.get(pk=completed_enrolment.pk)
                hooks.on_course_completed.send(enrolment=enrolment)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=complete_again) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    close_old_connections()
    assert errors == []
    certificate = Certificate.objects.get(enrolment=completed_enrolment)
    wait_for(lambda: len(celery_worker.sent_mail()) >= 1, what="the email")
    settle(celery_worker)
    assert Certificate.objects.count() == 1
    assert status_of(certificate.pk) == "issued"
    assert len(pdfs(celery_worker)) == 1
    assert len(celery_worker.sent_mail()) == 1


def test_the_same_task_delivered_twice_renders_and_emails_once(
    celery_worker, completed_enrolment
):
    with transaction.atomic():
        certificate = Certificate.objects.create(
            enrolment=completed_enrolment,
            user=completed_enrolment.user,
            code="RLX-2345-6789-ABCD-EFGH",
        )
    render_certificate.delay(certificate.pk)
    render_certificate.delay(certificate.pk)
    wait_for(lambda: len(celery_worker.sent_mail()) >= 1, what="the email")
    settle(celery_worker)
    assert status_of(certificate.pk) == "issued"
    assert certificate.events.filter(action="issued").count() == 1
    assert len(pdfs(celery_worker)) == 1
    assert len(celery_worker.sent_mail()) == 1
    # One credential, signed by the worker, that the web side verifies.
    (credential,) = certificate.credentials.all()
    assert credential_verify(credential.jwt).valid


@pytest.fixture
def held_worker(monkeypatch, tmp_path, request):
    """The worker of `celery_worker`, whose renders wait while `hold` exists
    (so that the test kills it mid-render without restarting it first)."""
    hold = tmp_path / "hold-renders"
    monkeypatch.setenv(
        "RELAIS_CERTIFICATE_RENDERER", "tests.certificates.renderers.held_render_pdf"
    )
    monkeypatch.setenv(HOLD_FILE_VARIABLE, str(hold))
    worker = request.getfixturevalue("celery_worker")
    return worker, hold


def test_a_worker_killed_while_rendering_loses_no_certificate(
    held_worker, completed_enrolment
):
    celery_worker, hold = held_worker
    hold.touch()
    with transaction.atomic():
        certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    wait_for(lambda: status_of(certificate.pk) == "rendering", what="the claim")
    celery_worker.kill()
    assert status_of(certificate.pk) == "rendering"
    assert pdfs(celery_worker) == []

    # A new worker (renders no longer held) takes over once the claim is
    # stale; the claim goes stale after a few minutes: pretend they passed.
    hold.unlink()
    celery_worker.start()
    Certificate.objects.filter(pk=certificate.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=6)
    )
    sweep_stuck_certificates.delay()
    wait_for(lambda: status_of(certificate.pk) == "issued", what="the reissue")
    wait_for(lambda: len(celery_worker.sent_mail()) == 1, what="the email")
    assert len(pdfs(celery_worker)) == 1
    assert Certificate.objects.get(pk=certificate.pk).attempts == 2


@pytest.fixture
def three_emailed(celery_worker, course, cohort):
    """Three certificates of one course and cohort, issued and emailed by the
    worker."""
    from accounts.models import User

    certificates = []
    for n in range(3):
        user = User.objects.create_user(email=f"p{n}@example.org", first_name=f"P{n}")
        enrolment = make_enrolment(user=user, course=course, cohort=cohort)
        with transaction.atomic():
            complete(enrolment)
            certificates.append(certificate_request_for_enrolment(enrolment=enrolment))
    wait_for(lambda: len(celery_worker.sent_mail()) == 3, what="the three emails")
    return certificates


def job_finished(job_id: int) -> bool:
    return CertificateJob.objects.filter(pk=job_id, status="done").exists()


def test_a_regenerate_job_delivered_twice_reissues_each_certificate_once(
    celery_worker, three_emailed, course, admin_user
):
    job = certificates_regenerate_course(course=course, actor=admin_user)
    run_certificate_job.delay(job.pk)
    wait_for(lambda: job_finished(job.pk), what=f"the job\n{celery_worker.log()}")
    settle(celery_worker)
    job.refresh_from_db()
    assert (job.total, job.done) == (3, 3)
    for certificate in three_emailed:
        assert certificate.events.filter(action="reissued").count() == 1


def test_a_cohort_zip_delivered_twice_builds_one_zip(
    celery_worker, three_emailed, cohort, admin_user
):
    job = cohort_zip_build(cohort=cohort, actor=admin_user)
    run_certificate_job.delay(job.pk)
    wait_for(lambda: job_finished(job.pk), what=f"the ZIP\n{celery_worker.log()}")
    settle(celery_worker)
    job.refresh_from_db()
    assert (job.total, job.done) == (3, 3)
    zips = list((celery_worker.private_root / "certificates" / "zips").glob("*.zip"))
    assert [path.name for path in zips] == [Path(job.file.name).name]


# --- a broker outage -------------------------------------------------------


def free_port(start: int = 6390) -> int:
    for port in range(start, start + 50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port for a private redis-server")


class PrivateRedis:
    """Our own redis-server, so that stopping it touches nobody else's."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="redis-server")

    def _answers(self) -> bool:
        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", self.port)) == 0

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@contextmanager
def app_on_broker(url: str, queue: str):
    """Point the in-process Celery app at another broker and backend."""
    from relais.celery import app

    def reset():
        app._after_fork()
        app._backend_cache = None
        if hasattr(app._local, "backend"):
            del app._local.backend

    previous = (
        app.conf.broker_url,
        app.conf.result_backend,
        app.conf.task_always_eager,
        app.conf.task_default_queue,
    )
    # The roles a worker started with REDIS_URL=url derives (settings/base.py).
    from relais.env import redis_url_next_db

    app.conf.broker_url = redis_url_next_db(url, 1, role="broker", variable="-")
    app.conf.result_backend = redis_url_next_db(url, 2, role="results", variable="-")
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    reset()
    try:
        yield app
    finally:
        # Forget this broker's subscriptions before it goes away, so that no
        # result collected later tries to unsubscribe from it.
        consumer = app.backend.result_consumer
        consumer.subscribed_to.clear()
        consumer.stop()
        (
            app.conf.broker_url,
            app.conf.result_backend,
            app.conf.task_always_eager,
            app.conf.task_default_queue,
        ) = previous
        reset()


def test_a_broker_outage_at_completion_delays_the_certificate_but_loses_nothing(
    transactional_db, settings, tmp_path, participant, course, cohort
):
    require_services(postgres=True, redis=True)

    from tests.workers import Worker

    redis = PrivateRedis(free_port())
    redis.start()
    queue = f"relais-outage-{tmp_path.name}"
    worker = Worker(workdir=tmp_path / "worker", queue=queue, redis_url=redis.url)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(worker.private_root), "base_url": None},
        },
    }
    try:
        with app_on_broker(redis.url, queue) as app:
            worker.start()
            # Waiting for the worker left no result subscribed: collected
            # later, after this broker stops, one would retry for 20 s in
            # whichever test the garbage collector interrupts.
            assert not app.backend.result_consumer.subscribed_to
            redis.stop()

            enrolment = make_enrolment(user=participant, course=course, cohort=cohort)
            with transaction.atomic():
                complete(enrolment)
                hooks.on_course_completed.send(enrolment=enrolment)
            enrolment.refresh_from_db()
            assert enrolment.status == "completed"
            certificate = Certificate.objects.get(enrolment=enrolment)
            assert certificate.status == "pending"

            redis.start()
            Certificate.objects.filter(pk=certificate.pk).update(
                created_at=timezone.now() - timedelta(minutes=3)
            )
            sweep_stuck_certificates.delay()
            wait_for(
                lambda: status_of(certificate.pk) == "issued",
                timeout=60,
                what=f"the certificate after the outage\n{worker.log()}",
            )
            wait_for(lambda: len(worker.sent_mail()) == 1, what="the email")
    finally:
        worker.stop()
        redis.stop()
