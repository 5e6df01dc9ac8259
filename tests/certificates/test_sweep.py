"""The sweep requests the certificate of a completion that has none:
completions from before the certificate was written in the completion's own
transaction (defence in depth; see services/sweep.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_sweep_requests_the_missing_certificate_of_an_old_completion(
    completed_enrolment, django_capture_on_commit_callbacks, mailoutbox
):
    """A completion with no certificate (from before the certificate was
    written in the completion's transaction) gets one from the sweep."""
    type(completed_enrolment).objects.filter(pk=completed_enrolment.pk).update(
        completed_at=timezone.now() - timedelta(days=30)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep()["missing"] == 1
    certificate = Certificate.objects.get(enrolment=completed_enrolment)
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.events.filter(action="requested").count() == 1
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificates_sweep()["missing"] == 0
    assert Certificate.objects.filter(enrolment=completed_enrolment).count() == 1


def test_the_sweep_requests_no_certificate_a_course_does_not_issue(
    completed_enrolment, course
):
    type(course).objects.filter(pk=course.pk).update(certificate_enabled=False)
    type(completed_enrolment).objects.filter(pk=completed_enrolment.pk).update(
        completed_at=timezone.now() - timedelta(days=30)
    )
    assert services.certificates_sweep()["missing"] == 0
    assert not Certificate.objects.filter(enrolment=completed_enrolment).exists()


def test_the_sweep_leaves_a_fresh_completion_to_its_own_transaction(
    completed_enrolment,
):
    assert services.certificates_sweep()["missing"] == 0
    assert not Certificate.objects.filter(enrolment=completed_enrolment).exists()


def test_a_mail_claim_goes_stale_after_the_configured_time(
    issued, mailoutbox, settings
):
    """RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS decides when a mail claimed by a
    worker that died is sent again (the drill sets 30 s instead of 5 min)."""
    settings.RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS = 30
    settings.RELAIS_CERTIFICATE_PENDING_STALE_SECONDS = 20
    now = timezone.now()
    claimed = Certificate.objects.filter(pk=issued.pk)
    claimed.update(
        emailed_at=None,
        email_claimed_at=now - timedelta(seconds=25),
        issued_at=now - timedelta(seconds=40),
    )
    mailoutbox.clear()
    # A claim younger than the stale time may still be sending: left alone.
    assert services.certificates_sweep()["email"] == 0
    assert services.certificate_email(certificate_id=issued.pk) is False
    assert mailoutbox == []
    claimed.update(email_claimed_at=now - timedelta(seconds=35))
    assert services.certificates_sweep()["email"] == 1
    assert len(mailoutbox) == 1
    assert claimed.get().emailed_at is not None
    assert services.certificates_sweep()["email"] == 0
    assert len(mailoutbox) == 1


def test_the_default_mail_stale_time_is_five_minutes(issued, mailoutbox):
    now = timezone.now()
    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None,
        email_claimed_at=now - timedelta(minutes=4),
        issued_at=now - timedelta(minutes=10),
    )
    mailoutbox.clear()
    assert services.stale_email() == timedelta(minutes=5)
    assert services.certificates_sweep()["email"] == 0
    assert mailoutbox == []


def test_a_pending_certificate_is_queued_again_after_the_configured_time(
    completed_enrolment, settings
):
    """RELAIS_CERTIFICATE_PENDING_STALE_SECONDS: a certificate whose render
    was never queued (its web host died between the commit and the publish)
    is queued by the sweep once it is that old, not before."""
    certificate = services.certificate_request_for_enrolment(
        enrolment=completed_enrolment
    )  # its render is queued on commit, which never comes in this test
    assert certificate.status == Certificate.Status.PENDING
    pending = Certificate.objects.filter(pk=certificate.pk)
    pending.update(created_at=timezone.now() - timedelta(seconds=25))
    assert services.stale_pending() == timedelta(minutes=2)
    assert services.certificates_sweep()["render"] == 0
    settings.RELAIS_CERTIFICATE_PENDING_STALE_SECONDS = 20
    assert services.certificates_sweep()["render"] == 1
    assert pending.get().status == Certificate.Status.ISSUED
