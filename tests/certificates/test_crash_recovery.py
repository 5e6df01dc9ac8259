"""Processes killed with real signals at the worst moments, against a real
Celery worker on Redis and PostgreSQL:

- the process that completes a course, right after the completion commits
  (before any on_commit callback): the pending certificate and the trainer
  qualification were written in that transaction, so nothing is lost;
- the pool child rendering a certificate: Celery gives the message back at
  once, and the redelivered task takes over its dead claim at once instead
  of waiting for the claim to go stale (5 minutes)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from cascades.models import TrainerQualification
from certificates.models import Certificate
from certificates.services import certificate_request_for_enrolment
from certificates.tasks import sweep_stuck_certificates
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from tests.factories import course_lessons, make_course, make_enrolment
from tests.workers import ROOT

from .renderers import HOLD_FILE_VARIABLE, PID_FILE_VARIABLE
from .test_workers import pdfs, settle, status_of, wait_for

# serialized_rollback: the flush after a transactional test would otherwise
# remove the page tree that migrations create, and the next test needs it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_process_killed_right_after_the_completion_commits_loses_nothing(
    celery_worker, participant, site
):
    workshop = make_course(title="Delivering the workshop", modules=1)
    tot = make_course(
        title="Capacity development ToT",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=2,
    )
    tot.qualifies_for.set([tot, workshop])
    tot.save()
    first, last = course_lessons(tot)
    enrolment = make_enrolment(user=participant, course=tot)
    enrolment_services.lesson_complete(enrolment=enrolment, lesson=first)

    # Completes the course and SIGKILLs itself at once after the commit,
    # before any on_commit callback (tests/certificates/complete_then_die.py).
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.certificates.complete_then_die",
            str(enrolment.pk),
            str(last.pk),
        ],
        cwd=ROOT,
        env=celery_worker.env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-4000:]

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    # Written in the completion's transaction: there although the process
    # died before anything after the commit ran.
    certificate = Certificate.objects.get(enrolment=enrolment)
    assert certificate.status == Certificate.Status.PENDING
    assert certificate.events.filter(action="requested").count() == 1
    assert set(
        TrainerQualification.objects.filter(user=participant).values_list(
            "course_id", "qualifying_enrolment_id"
        )
    ) == {(tot.pk, enrolment.pk), (workshop.pk, enrolment.pk)}

    # Its render task was never queued (the process died first): the sweep
    # queues it once it is older than stale_pending(); pretend that passed.
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    sweep_stuck_certificates.delay()
    wait_for(
        lambda: status_of(certificate.pk) == "issued",
        timeout=60,
        what=f"the certificate\n{celery_worker.log()}",
    )
    wait_for(lambda: len(celery_worker.sent_mail()) == 1, what="the email")
    settle(celery_worker)
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    assert len(pdfs(celery_worker)) == 1
    assert len(celery_worker.sent_mail()) == 1


@pytest.fixture
def held_worker_with_pids(monkeypatch, tmp_path, request):
    """The worker of `celery_worker`, whose renders write their process's pid
    to `pid_file` and then wait while `hold` exists."""
    hold = tmp_path / "hold-renders"
    pid_file = tmp_path / "render-pid"
    monkeypatch.setenv(
        "RELAIS_CERTIFICATE_RENDERER", "tests.certificates.renderers.held_render_pdf"
    )
    monkeypatch.setenv(HOLD_FILE_VARIABLE, str(hold))
    monkeypatch.setenv(PID_FILE_VARIABLE, str(pid_file))
    worker = request.getfixturevalue("celery_worker")
    return worker, hold, pid_file


def test_a_render_whose_pool_child_is_killed_is_taken_over_at_once(
    held_worker_with_pids, completed_enrolment
):
    celery_worker, hold, pid_file = held_worker_with_pids
    hold.touch()
    with transaction.atomic():
        certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    child = int(
        wait_for(lambda: pid_file.exists() and pid_file.read_text(), what="a render")
    )
    delivery, owner = Certificate.objects.values_list(
        "claim_delivery", "claimed_by"
    ).get(pk=certificate.pk)
    assert status_of(certificate.pk) == "rendering"
    assert owner.endswith(f":{child}")

    os.kill(child, signal.SIGKILL)  # the pool child, mid-render
    killed = time.monotonic()
    hold.unlink()
    # Well inside the 5 minutes after which the claim would go stale, and
    # with no sweep: the redelivered task took the dead claim over.
    wait_for(
        lambda: status_of(certificate.pk) == "issued",
        timeout=30,
        what=f"the render taken over\n{celery_worker.log()}",
    )
    print(f"issued {time.monotonic() - killed:.2f} s after the pool child's kill")
    wait_for(lambda: len(celery_worker.sent_mail()) == 1, what="the email")
    settle(celery_worker)

    assert celery_worker.process is not None
    assert celery_worker.process.poll() is None  # the worker itself lives on
    certificate.refresh_from_db()
    # The same delivery (the message Celery gave back), in another process.
    assert certificate.claim_delivery == delivery
    assert certificate.claimed_by != owner
    assert certificate.attempts == 2
    assert certificate.events.filter(action="issued").count() == 1
    assert len(pdfs(celery_worker)) == 1
    assert len(celery_worker.sent_mail()) == 1
