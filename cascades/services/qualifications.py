"""Trainer qualifications: earned by completing a train-the-trainer course,
granted or withdrawn by staff. Each change can alter a cascade's trainers
produced, so it announces `changed("cascades")`."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from enrolment.models import Enrolment
from relais.caching import changed

from ..models import TrainerQualification


def qualifications_from_completion(
    *, enrolment: Enrolment
) -> list[TrainerQualification]:
    """Receiver of enrolment.hooks.on_course_completed, inside the transaction
    that completes the enrolment (so the qualification commits with the
    completion): completing a train-the-trainer course qualifies its graduate
    to deliver every course it `qualifies_for`. Idempotent: an active
    qualification is kept as it is."""
    course = enrolment.course
    if not course.is_train_the_trainer:
        return []
    created = []
    with transaction.atomic():
        for target in course.qualifies_for.all():
            qualification, was_created = _qualification_ensure(
                user=enrolment.user,
                course=target,
                qualifying_enrolment=enrolment,
                granted_by=None,
            )
            if was_created:
                created.append(qualification)
    return created


def _qualification_ensure(*, user, course, qualifying_enrolment, granted_by):
    existing = (
        TrainerQualification.objects.select_for_update()
        .filter(user=user, course=course, withdrawn_at__isnull=True)
        .first()
    )
    if existing:
        if existing.qualifying_enrolment_id is None and qualifying_enrolment:
            existing.qualifying_enrolment = qualifying_enrolment
            existing.save(update_fields=["qualifying_enrolment"])
            changed("cascades")
        return existing, False
    qualification = TrainerQualification.objects.create(
        user=user,
        course=course,
        qualifying_enrolment=qualifying_enrolment,
        granted_by=granted_by,
        granted_at=timezone.now(),
    )
    changed("cascades")
    return qualification, True


@transaction.atomic
def qualification_grant(*, user, course, granted_by) -> TrainerQualification:
    """Staff make someone a trainer for a course. If they completed a ToT
    course that qualifies for it, that enrolment is recorded as qualifying."""
    qualifying = (
        Enrolment.objects.filter(
            user=user,
            status=Enrolment.Status.COMPLETED,
            course__kind="train_the_trainer",
            course__qualifies_for=course,
        )
        .order_by("completed_at")
        .first()
    )
    qualification, _created = _qualification_ensure(
        user=user, course=course, qualifying_enrolment=qualifying, granted_by=granted_by
    )
    return qualification


@transaction.atomic
def qualification_withdraw(
    *, qualification: TrainerQualification, withdrawn_by
) -> TrainerQualification:
    """The person may no longer open cohorts of the course; what they ran stays
    in the cascade."""
    qualification = TrainerQualification.objects.select_for_update().get(
        pk=qualification.pk
    )
    if qualification.withdrawn_at is None:
        qualification.withdrawn_at = timezone.now()
        qualification.withdrawn_by = withdrawn_by
        qualification.save(update_fields=["withdrawn_at", "withdrawn_by"])
        changed("cascades")
    return qualification


def trainer_may_deliver(*, user, course) -> TrainerQualification | None:
    """The user's active qualification to deliver `course`: one for the
    course itself or for any of its translations (a course and its
    translations share a translation key), since a cohort delivers the
    course in its own language (cohort_open)."""
    return (
        TrainerQualification.objects.select_related("qualifying_enrolment")
        .filter(
            user=user,
            course__translation_key=course.translation_key,
            withdrawn_at__isnull=True,
        )
        .first()
    )
