from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.conftest import reauthenticate
from tests.factories import make_cohort, make_course, make_enrolment


@pytest.fixture
def course(site):
    return make_course(
        title="Integration of migrants", hours="6.0", modules=1, lessons_per_module=1
    )


@pytest.fixture
def cohort(course):
    return make_cohort(course=course, name="Kampala 2025", country="UG")


def complete(enrolment):
    enrolment.status = "completed"
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at"])
    return enrolment


@pytest.fixture
def completed_enrolment(participant, course, cohort):
    return complete(make_enrolment(user=participant, course=course, cohort=cohort))


@pytest.fixture
def issued(completed_enrolment, django_capture_on_commit_callbacks, mailoutbox):
    """A certificate issued through the eager tasks, and its email sent."""
    from certificates.services import certificate_request_for_enrolment

    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    certificate.refresh_from_db()
    return certificate


@pytest.fixture
def staff(client, admin_user):
    """A client signed in as an administrator who has just confirmed their
    password (revoking and restoring ask for it)."""
    client.force_login(admin_user)
    reauthenticate(client)
    return client


@pytest.fixture
def session(cohort, trainer):
    """A training session of the cohort, its trainer set, with two attendees."""
    from cascades.models import SessionAttendee, TrainingSession

    cohort.trainer = trainer
    cohort.save()
    session = TrainingSession.objects.create(
        cohort=cohort, held_on=dt.date(2025, 5, 6), place="Yaoundé", duration_hours=4
    )
    SessionAttendee.objects.create(
        session=session, name="José Núñez Peña", email="jose@example.org"
    )
    SessionAttendee.objects.create(session=session, name="Айгерим Токтогулова")
    return session
