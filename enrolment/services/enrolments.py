"""Joining, leaving and moving: the ways into a course."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from relais import caching, ratelimit

from ..models import Cohort, Enrolment, EnrolmentEvent
from .errors import (
    AlreadyEnrolled,
    ApprovalRequired,
    CohortFull,
    EnrolmentError,
    InvitationRequired,
    KeyRequired,
    TooManyAttempts,
    WrongCourse,
    WrongKey,
)

SEATED = [Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED]
KEY_SCOPE = "enrolment-key"
KEY_LIMIT = 10  # wrong keys per user and per IP ...
KEY_PERIOD = 15 * 60  # ... in this many seconds


def event_record(*, enrolment: Enrolment, actor=None, note: str = "") -> EnrolmentEvent:
    return EnrolmentEvent.objects.create(
        enrolment=enrolment,
        status=enrolment.status,
        cohort_id=enrolment.cohort_id,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note[:200],
        created_at=timezone.now(),
    )


def _lock_cohort_with_seat(*, cohort: Cohort, course_id: int) -> Cohort:
    """Locks the cohort row (PostgreSQL; SQLite serialises writers anyway) so
    that concurrent joins count seats one after the other."""
    if cohort.course_id != course_id:
        raise WrongCourse()
    locked = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if locked.capacity is not None:
        taken = Enrolment.objects.filter(cohort=locked, status__in=SEATED).count()
        if taken >= locked.capacity:
            raise CohortFull()
    return locked


def _check_enrolment_mode(*, course, source: str) -> None:
    """The course's `enrolment_mode` decides which ways in a participant may
    take by themselves (self, key); invitations, imports and staff always
    may. Raises KeyRequired or InvitationRequired."""
    if source == Enrolment.Source.SELF and not course.allows_self_enrolment:
        if course.needs_approval:
            raise ApprovalRequired()
        if course.allows_enrolment_key:
            raise KeyRequired()
        raise InvitationRequired()
    if source == Enrolment.Source.KEY and not course.allows_enrolment_key:
        raise InvitationRequired()


@transaction.atomic
def enrolment_create(
    *, user, course, cohort: Cohort | None = None, source: str, actor=None
) -> Enrolment:
    """Enrol `user` in `course` (optionally in `cohort`), by a way the
    course's enrolment mode allows for `source`. One enrolment per user and
    course: joining again after withdrawing reactivates the same row and
    keeps the earlier progress."""
    if cohort is not None:
        cohort = _lock_cohort_with_seat(cohort=cohort, course_id=course.pk)
    now = timezone.now()
    existing = (
        Enrolment.objects.select_for_update().filter(user=user, course=course).first()
    )
    if existing is not None and existing.status != Enrolment.Status.WITHDRAWN:
        raise AlreadyEnrolled(enrolment=existing)
    _check_enrolment_mode(course=course, source=source)
    if existing is not None:
        # Back after withdrawing: same row, progress kept; a course finished
        # before stays finished (the completion is not announced twice).
        existing.status = (
            Enrolment.Status.COMPLETED
            if existing.completed_at
            else Enrolment.Status.ACTIVE
        )
        existing.withdrawn_at = None
        if cohort is not None:
            existing.cohort = cohort
        existing.last_activity_at = now
        existing.save(
            update_fields=["status", "withdrawn_at", "cohort", "last_activity_at"]
        )
        event_record(enrolment=existing, actor=actor, note=f"rejoined ({source})")
        caching.changed("enrolments")
        return existing
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                user=user,
                course=course,
                cohort=cohort,
                source=source,
                status=Enrolment.Status.ACTIVE,
                enrolled_at=now,
                last_activity_at=now,
            )
    except IntegrityError as exc:  # the same person, twice at once
        raise AlreadyEnrolled(
            enrolment=Enrolment.objects.filter(user=user, course=course).first()
        ) from exc
    event_record(enrolment=enrolment, actor=actor, note=f"enrolled ({source})")
    caching.changed("enrolments")
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, enrolment: Enrolment, actor=None) -> Enrolment:
    now = timezone.now()
    changed = Enrolment.objects.filter(pk=enrolment.pk, status__in=SEATED).update(
        status=Enrolment.Status.WITHDRAWN, withdrawn_at=now
    )
    enrolment.refresh_from_db()
    if changed:
        event_record(enrolment=enrolment, actor=actor, note="withdrawn")
        caching.changed("enrolments")
    return enrolment


@transaction.atomic
def enrolment_move(*, enrolment: Enrolment, cohort: Cohort, actor) -> Enrolment:
    """Move an enrolment to another cohort of the same course."""
    if cohort.course_id != enrolment.course_id:
        raise WrongCourse()
    if cohort.pk == enrolment.cohort_id:
        return enrolment
    if enrolment.status in SEATED:
        cohort = _lock_cohort_with_seat(cohort=cohort, course_id=enrolment.course_id)
    enrolment.cohort = cohort
    enrolment.save(update_fields=["cohort"])
    event_record(enrolment=enrolment, actor=actor, note=f"moved to cohort {cohort.pk}")
    caching.changed("enrolments")
    return enrolment


def cohort_for_key(key: str) -> Cohort | None:
    key = (key or "").strip().lower()
    if not key:
        return None
    return (
        Cohort.objects.annotate(key_lower=Lower("enrolment_key"))
        .filter(key_lower=key)
        .select_related("course")
        .first()
    )


def enrolment_join_with_key(*, user, key: str, request=None) -> Enrolment:
    """Join the cohort whose enrolment key this is (case does not matter).
    Wrong keys are counted per user and per IP; past the limit, every try is
    refused for a while, right or wrong."""
    idents = (ratelimit.request_idents(request) if request is not None else []) or [
        f"user:{user.pk}"
    ]
    if f"user:{user.pk}" not in idents:
        idents.append(f"user:{user.pk}")
    # Every try is counted before the key is looked up (one atomic increment
    # in the cache), so a burst of tries at once cannot all pass a check made
    # before any of them was counted; a right key gives its try back.
    if ratelimit.hit(
        scope=KEY_SCOPE, idents=idents, limit=KEY_LIMIT, period=KEY_PERIOD
    ):
        raise TooManyAttempts()
    cohort = cohort_for_key(key)
    if cohort is None:
        raise WrongKey()
    ratelimit.forgive(scope=KEY_SCOPE, idents=idents, period=KEY_PERIOD)
    return enrolment_create(
        user=user,
        course=cohort.course,
        cohort=cohort,
        source=Enrolment.Source.KEY,
        actor=user,
    )


__all__ = [
    "EnrolmentError",
    "enrolment_create",
    "enrolment_join_with_key",
    "enrolment_move",
    "enrolment_withdraw",
    "event_record",
]
