"""Who may take over a render claim: a stale one anyone (the last resort);
a fresh one only the same task delivered again, once the process that
holds the claim is gone (see services/render.py)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import (
    certificate_render,
    certificate_request_for_enrolment,
)

pytestmark = pytest.mark.django_db

DELIVERY = "5d1f0b8e-4d3c-4a55-9a0e-2f4f7e0c9b11"


def _dead_pid() -> int:
    """The pid of a process of this host that has exited (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _claimed(enrolment, *, owner: str) -> Certificate:
    """A certificate whose render `DELIVERY` claimed just now in `owner`."""
    certificate = certificate_request_for_enrolment(enrolment=enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="rendering",
        claimed_at=timezone.now(),
        claim_delivery=DELIVERY,
        claimed_by=owner,
        attempts=1,
    )
    return certificate


def test_a_redelivered_task_takes_over_its_claim_whose_process_is_gone(
    completed_enrolment,
):
    dead = f"{socket.gethostname()}:{_dead_pid()}"
    certificate = _claimed(completed_enrolment, owner=dead)
    issued = certificate_render(
        certificate_id=certificate.pk, delivery=DELIVERY, redelivered=True
    )
    assert issued is not None
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.attempts == 2
    assert certificate.claimed_by == f"{socket.gethostname()}:{os.getpid()}"


def test_a_redelivered_task_trusts_the_redelivery_for_another_hosts_claim(
    completed_enrolment,
):
    # A process of another host cannot be looked at from here: Celery gives
    # a message back when the worker that ran it is lost, so it is gone.
    certificate = _claimed(completed_enrolment, owner="another-host.invalid:4242")
    assert (
        certificate_render(
            certificate_id=certificate.pk, delivery=DELIVERY, redelivered=True
        )
        is not None
    )


def test_a_claim_whose_process_still_runs_is_left_alone(completed_enrolment):
    # The parent of this test process runs, on this host.
    alive = f"{socket.gethostname()}:{os.getppid()}"
    certificate = _claimed(completed_enrolment, owner=alive)
    assert (
        certificate_render(
            certificate_id=certificate.pk, delivery=DELIVERY, redelivered=True
        )
        is None
    )
    certificate.refresh_from_db()
    assert (certificate.status, certificate.attempts) == ("rendering", 1)


@pytest.mark.parametrize(
    ("delivery", "redelivered"),
    [
        ("another-task-id", True),  # another task: only the stale time frees it
        (DELIVERY, False),  # a first delivery never takes a fresh claim
        ("", True),  # no task at all (a direct call)
    ],
)
def test_a_fresh_claim_is_not_taken_over_otherwise(
    completed_enrolment, delivery, redelivered
):
    dead = f"{socket.gethostname()}:{_dead_pid()}"
    certificate = _claimed(completed_enrolment, owner=dead)
    assert (
        certificate_render(
            certificate_id=certificate.pk, delivery=delivery, redelivered=redelivered
        )
        is None
    )
    certificate.refresh_from_db()
    assert (certificate.status, certificate.attempts) == ("rendering", 1)
