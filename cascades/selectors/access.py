"""One gatekeeper per object kind a trainer may open: anything else is 404."""

from __future__ import annotations

from django.http import Http404

from enrolment.models import Cohort, Enrolment

from ..models import TrainingSession


def cohort_get_for_trainer(*, user, pk: int) -> Cohort:
    """A cohort the user delivers; 404 for anyone else's (even a descendant
    cohort of their cascade: they see its counts, never its people)."""
    cohort = (
        Cohort.objects.select_related("course", "parent", "trainer")
        .filter(pk=pk, trainer_id=user.pk)
        .first()
    )
    if cohort is None or not user.is_authenticated:
        raise Http404
    return cohort


def session_get_for_trainer(*, user, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.select_related("cohort", "cohort__course")
        .filter(pk=pk, cohort__trainer_id=user.pk)
        .first()
    )
    if session is None or not user.is_authenticated:
        raise Http404
    return session


def enrolment_get_for_trainer(*, user, cohort: Cohort, pk: int) -> Enrolment:
    """A participant of one of the trainer's own cohorts."""
    enrolment = (
        Enrolment.objects.select_related("user", "course", "cohort")
        .filter(pk=pk, cohort=cohort, cohort__trainer_id=user.pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment
