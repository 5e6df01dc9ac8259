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
