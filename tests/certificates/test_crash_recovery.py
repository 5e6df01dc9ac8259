"""Processes killed with real signals at the worst moments, against a real
Celery worker on Redis and PostgreSQL:

- the process that completes a course, right after the completion commits
  (before any on_commit callback): the pending certificate and the trainer
  qualification were written in that transaction, so nothing is lost."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import timedelta

import pytest
from django.utils import timezone

from cascades.models import TrainerQualification
from certificates.models import Certificate
from certificates.tasks import sweep_stuck_certificates
from enrolment import services as enrolment_services
from enrolment.models import Enrolment
from tests.factories import course_lessons, make_course, make_enrolment
from tests.workers import ROOT

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
    # queues it once it is older than STALE_PENDING; pretend that passed.
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
