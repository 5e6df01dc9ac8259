"""The cascades app asks for attendance certificates through its hook; the
certificates app answers it (connected in CertificatesConfig.ready)."""

from __future__ import annotations

import pytest

from certificates.models import Certificate

pytestmark = pytest.mark.django_db


def test_the_cascades_request_issues_one_certificate_per_attendee(
    session, trainer, django_capture_on_commit_callbacks, mailoutbox
):
    from cascades.services import attendance_certificates_request

    with django_capture_on_commit_callbacks(execute=True):
        returned = attendance_certificates_request(
            session=session, requested_by=trainer
        )
    assert [c.status for c in returned] == ["pending", "pending"]
    issued = Certificate.objects.filter(attendee__session=session, status="issued")
    assert sorted(issued.values_list("facts__name", flat=True)) == [
        "José Núñez Peña",
        "Айгерим Токтогулова",
    ]
    assert [m.to for m in mailoutbox] == [["jose@example.org"]]


def test_asking_the_cascades_twice_creates_no_second_certificate(
    session, trainer, django_capture_on_commit_callbacks
):
    from cascades.services import attendance_certificates_request

    with django_capture_on_commit_callbacks(execute=True):
        first = attendance_certificates_request(session=session, requested_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        again = attendance_certificates_request(session=session, requested_by=trainer)
    assert [c.pk for c in again] == [c.pk for c in first]
    assert Certificate.objects.filter(attendee__session=session).count() == 2
