"""One gatekeeper per object kind a trainer may open: anything else is 404.

A cohort is the trainer's while they hold an active qualification for its
course: once staff withdraw it, its people, sessions and invitations are
closed to them (404 like anyone else's), and so is every new action on it;
what they ran stays in the cascade for staff and reports."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from enrolment.models import Cohort, Enrolment

from ..models import SessionAttendee, TrainerQualification, TrainingSession


def delivering(*, user, prefix: str = "") -> Q:
    """Cohorts (`prefix` = the path from the queried model to the cohort, e.g.
    "cohort__") that `user` delivers with an active qualification for their
    course, or for one of its translations (a cohort delivers the course in
    its language: cascades.services.cohort_open). A subquery, not a join, so
    no row is repeated."""
    qualified_keys = TrainerQualification.objects.filter(
        user_id=user.pk, withdrawn_at__isnull=True
    ).values("course__translation_key")
    return Q(
        **{
            f"{prefix}trainer_id": user.pk,
            f"{prefix}course__translation_key__in": qualified_keys,
        }
    )


def trainer_own_cohorts(*, user) -> QuerySet[Cohort]:
    """The cohorts `user` delivers and may still act on (see `delivering`)."""
    return Cohort.objects.filter(delivering(user=user))


def cohort_get_for_trainer(*, user, pk: int) -> Cohort:
    """A cohort the user delivers, while qualified for its course; 404 for
    anyone else's (even a descendant cohort of their cascade: they see its
    counts, never its people) and once their qualification is withdrawn."""
    if not user.is_authenticated:
        raise Http404
    cohort = (
        Cohort.objects.select_related("course", "parent", "trainer")
        .filter(delivering(user=user), pk=pk)
        .first()
    )
    if cohort is None:
        raise Http404
    return cohort


def session_get_for_trainer(*, user, pk: int) -> TrainingSession:
    if not user.is_authenticated:
        raise Http404
    session = (
        TrainingSession.objects.select_related(
            "cohort", "cohort__course", "attendees_confirmed_by"
        )
        .filter(delivering(user=user, prefix="cohort__"), pk=pk)
        .first()
    )
    if session is None:
        raise Http404
    return session


def enrolment_get_for_trainer(*, user, cohort: Cohort, pk: int) -> Enrolment:
    """A participant of one of the trainer's own cohorts (`cohort` from
    `cohort_get_for_trainer`)."""
    if not user.is_authenticated:
        raise Http404
    enrolment = (
        Enrolment.objects.select_related("user", "course", "cohort")
        .filter(delivering(user=user, prefix="cohort__"), pk=pk, cohort=cohort)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def attendee_get_for_trainer(
    *, user, session: TrainingSession, pk: int
) -> SessionAttendee:
    """An attendee of one of the trainer's own sessions (`session` from
    `session_get_for_trainer`); 404 for an attendee of any other session."""
    if not user.is_authenticated:
        raise Http404
    attendee = (
        SessionAttendee.objects.select_related("session__cohort__course")
        .filter(
            delivering(user=user, prefix="session__cohort__"), pk=pk, session=session
        )
        .first()
    )
    if attendee is None:
        raise Http404
    return attendee
