"""What a trainer's workspace lists: their qualifications, their cohorts
with counts, a cohort's participants and sessions, a session's attendees.
Certificate statuses come through `cascades.hooks` (certificates fills
them in), one query per table."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from enrolment.models import Cohort, Enrolment, LessonProgress

from .. import hooks
from ..models import SessionAttendee, TrainerQualification, TrainingSession
from .access import delivering


def trainer_qualifications(*, user) -> QuerySet[TrainerQualification]:
    return (
        TrainerQualification.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("course", "qualifying_enrolment__cohort")
        .order_by("course__title")
    )


def trainer_qualification_record(
    *, user, language: str = ""
) -> tuple[list[TrainerQualification], list[TrainerQualification]]:
    """The user's own record, in one query: their active qualifications (by
    course title) and the withdrawn ones for courses they are not qualified
    for again (latest first). Each has `course_title`: the title of the
    course's translation in `language` where there is one, else the
    course's own."""
    from courses.languages import local_title as translated_title

    local_title = translated_title(key_of="course__translation_key", language=language)
    record: list[TrainerQualification] = list(
        TrainerQualification.objects.filter(user=user)
        .select_related("course", "qualifying_enrolment__cohort")
        .annotate(course_title=Coalesce(local_title, F("course__title")))
        .order_by("course__title", "-withdrawn_at")
    )
    active = [q for q in record if q.withdrawn_at is None]
    active_courses = {q.course_id for q in active}
    withdrawn = [
        q for q in record if q.withdrawn_at and q.course_id not in active_courses
    ]
    withdrawn.sort(key=lambda q: q.withdrawn_at or q.granted_at, reverse=True)
    return active, withdrawn


def trainer_is_qualified(*, user) -> bool:
    return TrainerQualification.objects.filter(
        user=user, withdrawn_at__isnull=True
    ).exists()


def session_headcount():
    """A cohort's sessions' head counts added up (a subquery, for annotate)."""
    return Coalesce(
        Subquery(
            TrainingSession.objects.filter(cohort=OuterRef("pk"))
            .values("cohort")
            .annotate(
                n=Sum("participants_women")
                + Sum("participants_men")
                + Sum("participants_other")
            )
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def trainer_cohorts(*, user) -> QuerySet[Cohort]:
    """The trainer's own cohorts with their counts (one query), of the
    courses they are still qualified to deliver."""
    active = ~Q(enrolments__status=Enrolment.Status.WITHDRAWN)
    return (
        Cohort.objects.filter(delivering(user=user))
        .select_related("course")
        .annotate(
            participants=Count("enrolments", filter=active, distinct=True),
            completions=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.COMPLETED),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
            session_headcount=session_headcount(),
        )
        .order_by("-created_at", "-id")
    )


def course_lesson_count(*, course) -> int:
    from courses.models import LessonPage

    return LessonPage.objects.live().descendant_of(course).count()


@dataclass
class ParticipantRow:
    enrolment: Enrolment
    lessons_done: int
    percent: int
    certificate_status: str | None


def cohort_participants(*, cohort: Cohort) -> list[ParticipantRow]:
    """Participants of the trainer's cohort with progress and certificate
    status. Three queries whatever the size: lessons, enrolments with their
    done counts, certificate statuses (none without a provider)."""
    total = course_lesson_count(course=cohort.course)
    enrolments = list(
        Enrolment.objects.filter(cohort=cohort)
        .select_related("user")
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__completed_at__isnull=False),
                distinct=True,
            )
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    statuses = (
        hooks.participant_certificate_status.call(
            default={}, enrolment_ids=[e.pk for e in enrolments]
        )
        if enrolments
        else {}
    )
    rows = []
    for e in enrolments:
        if e.status == Enrolment.Status.COMPLETED:
            percent = 100
        else:
            percent = min(100, round(100 * e.done / total)) if total else 0
        rows.append(
            ParticipantRow(
                enrolment=e,
                lessons_done=e.done,
                percent=percent,
                certificate_status=statuses.get(e.pk),
            )
        )
    return rows


def participant_progress(*, enrolment: Enrolment) -> QuerySet[LessonProgress]:
    return (
        LessonProgress.objects.filter(enrolment=enrolment)
        .select_related("lesson")
        .order_by("lesson__path")
    )


def cohort_sessions(*, cohort: Cohort) -> QuerySet[TrainingSession]:
    return cohort.sessions.annotate(listed=Count("attendees")).order_by(
        "-held_on", "-id"
    )


@dataclass
class AttendeeRow:
    attendee: SessionAttendee
    certificate_status: str | None


def session_attendees(*, session: TrainingSession) -> list[AttendeeRow]:
    attendees = list(session.attendees.order_by("name", "id"))
    statuses = (
        hooks.attendee_certificate_status.call(
            default={}, attendee_ids=[a.pk for a in attendees]
        )
        if attendees
        else {}
    )
    return [
        AttendeeRow(attendee=a, certificate_status=statuses.get(a.pk))
        for a in attendees
    ]
