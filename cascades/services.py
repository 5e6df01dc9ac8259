"""State changes of the cascade: qualifications, trainer cohorts and their
invitations, in-person sessions, attendance certificates."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import Cohort, Enrolment

from . import hooks
from .context_processors import forget_trainer
from .freshness import cascade_changed
from .models import SessionAttendee, TrainerQualification, TrainingSession
from .parsing import EmailList, parse_attendee_lines, parse_email_list

# ---------------------------------------------------------------- qualifications


def qualifications_from_completion(
    *, enrolment: Enrolment
) -> list[TrainerQualification]:
    """Receiver of enrolment.hooks.on_course_completed: completing a
    train-the-trainer course qualifies its graduate to deliver every course it
    `qualifies_for`. Idempotent: an active qualification is kept as it is."""
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
            cascade_changed()
        return existing, False
    qualification = TrainerQualification.objects.create(
        user=user,
        course=course,
        qualifying_enrolment=qualifying_enrolment,
        granted_by=granted_by,
        granted_at=timezone.now(),
    )
    forget_trainer(user.pk)  # now, and again once committed (a read in between
    transaction.on_commit(lambda: forget_trainer(user.pk))  # may cache the old)
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
        user_id = qualification.user_id
        cascade_changed()
        forget_trainer(user_id)
        transaction.on_commit(lambda: forget_trainer(user_id))
    return qualification


# ---------------------------------------------------------------- cohorts

_ANCESTORS_SQL = """
WITH RECURSIVE ancestors(id, parent_id) AS (
    SELECT id, parent_id FROM enrolment_cohort WHERE id = %s
    UNION
    SELECT c.id, c.parent_id FROM enrolment_cohort c
    JOIN ancestors a ON c.id = a.parent_id
)
SELECT id FROM ancestors
"""


def cohort_ancestor_ids(*, cohort_id: int) -> set[int]:
    """The cohort and all its ancestors, in one recursive query."""
    with connection.cursor() as cursor:
        cursor.execute(_ANCESTORS_SQL, [cohort_id])
        return {row[0] for row in cursor.fetchall()}


@transaction.atomic
def cohort_set_parent(*, cohort: Cohort, parent: Cohort | None, actor) -> Cohort:
    """Correct where a cohort hangs in the cascade. Refuses a parent that is the
    cohort itself or one of its descendants (that would make a cycle)."""
    if parent is not None and cohort.pk in cohort_ancestor_ids(cohort_id=parent.pk):
        raise ValidationError(
            {
                "parent": _(
                    "“%(parent)s” descends from “%(cohort)s”: it cannot be its "
                    "parent, that would make a loop in the cascade."
                )
                % {"parent": parent.name, "cohort": cohort.name}
            }
        )
    Cohort.objects.filter(pk=cohort.pk).update(parent=parent)
    cascade_changed()
    cohort.parent = parent
    return cohort


def trainer_may_deliver(*, user, course) -> TrainerQualification | None:
    return (
        TrainerQualification.objects.select_related("qualifying_enrolment")
        .filter(user=user, course=course, withdrawn_at__isnull=True)
        .first()
    )


def enrolment_key_generate() -> str:
    # Readable: no 0/O or 1/I/l; 8 characters from 31 is ~40 bits.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    for _attempt in range(10):
        key = "".join(secrets.choice(alphabet) for _ in range(8))
        if not Cohort.objects.filter(enrolment_key__iexact=key).exists():
            return key
    return secrets.token_hex(8)


@transaction.atomic
def cohort_open(
    *,
    trainer,
    course,
    name: str,
    country: str = "",
    institution: str = "",
    language: str = "en",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    mode: str = Cohort.Mode.ONLINE,
    capacity: int | None = None,
    enrolment_key: str = "",
    generate_key: bool = True,
) -> Cohort:
    """A trainer opens a cohort of a course they may deliver. Its parent is the
    cohort in which they were trained (their qualifying enrolment's cohort)."""
    qualification = trainer_may_deliver(user=trainer, course=course)
    if qualification is None:
        raise ValidationError(
            {"course": _("You are not a qualified trainer for this course.")}
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    enrolment_key = (enrolment_key or "").strip()
    if enrolment_key:
        if Cohort.objects.filter(enrolment_key__iexact=enrolment_key).exists():
            raise ValidationError(
                {"enrolment_key": _("This key is already used; choose another.")}
            )
    elif generate_key:
        enrolment_key = enrolment_key_generate()
    parent_id = None
    if qualification.qualifying_enrolment:
        parent_id = qualification.qualifying_enrolment.cohort_id
    return Cohort.objects.create(
        course=course,
        name=name.strip(),
        country=country,
        institution=institution.strip(),
        language=language,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        capacity=capacity,
        enrolment_key=enrolment_key,
        trainer=trainer,
        parent_id=parent_id,
    )


@dataclass
class InviteResult:
    invited: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)


def _invite(*, cohort: Cohort, emails: list[str], invited_by) -> list[str]:
    """Invite through the enrolment service; returns the emails newly invited."""
    from enrolment import services as enrolment_services

    already = set(
        cohort.invitations.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=[e.lower() for e in emails])
        .values_list("lower_email", flat=True)
    )
    fresh = [e for e in emails if e.lower() not in already]
    if fresh:
        enrolment_services.invitations_create_bulk(
            cohort=cohort, emails=fresh, invited_by=invited_by
        )
    return fresh


@transaction.atomic
def cohort_invite(*, cohort: Cohort, text: str, invited_by) -> InviteResult:
    """Invite the pasted addresses; bad ones and repeats are reported by value
    and invite nobody (nothing is sent unless the whole list is clean)."""
    parsed: EmailList = parse_email_list(text)
    result = InviteResult(invalid=parsed.invalid, duplicates=parsed.duplicates)
    if not parsed.valid and not parsed.invalid:
        raise ValidationError(_("Paste at least one email address."))
    if parsed.invalid:
        return result
    invited = _invite(cohort=cohort, emails=parsed.valid, invited_by=invited_by)
    lowered = {e.lower() for e in invited}
    result.invited = invited
    result.already_invited = [e for e in parsed.valid if e.lower() not in lowered]
    return result


# ---------------------------------------------------------------- sessions


@transaction.atomic
def session_record(
    *,
    cohort: Cohort,
    recorded_by,
    held_on: datetime.date,
    place: str,
    duration_hours: Decimal,
    participants_women: int = 0,
    participants_men: int = 0,
    participants_other: int = 0,
    title: str = "",
    notes: str = "",
    attendees_text: str = "",
) -> TrainingSession:
    """Record an in-person session, its head counts and optional attendee list.
    Any error is raised before anything is written; attendees with an email
    are invited to the cohort on the platform."""
    errors: dict[str, list[str]] = {}
    counts = {
        "participants_women": participants_women,
        "participants_men": participants_men,
        "participants_other": participants_other,
    }
    for name, value in counts.items():
        if value is None or value < 0:
            errors.setdefault(name, []).append(_("A count cannot be negative."))
    if duration_hours is None or duration_hours <= 0:
        errors.setdefault("duration_hours", []).append(
            _("The duration must be more than zero hours.")
        )
    today = timezone.localdate()
    if held_on > today + datetime.timedelta(days=365):
        errors.setdefault("held_on", []).append(
            _("The date is more than a year in the future.")
        )
    if not (place or "").strip():
        errors.setdefault("place", []).append(_("Say where the session took place."))
    attendees, attendee_errors = parse_attendee_lines(attendees_text)
    if attendee_errors:
        errors.setdefault("attendees_text", []).extend(attendee_errors)
    total = sum(v for v in counts.values() if v and v > 0)
    if attendees and len(attendees) > total:
        errors.setdefault("attendees_text", []).append(
            _(
                "%(listed)d attendees are listed but the counts add up to "
                "%(total)d: the total must be at least the number listed."
            )
            % {"listed": len(attendees), "total": total}
        )
    if total == 0 and not errors:
        errors.setdefault("participants_other", []).append(
            _("Give the number of participants (women, men, other or not stated).")
        )
    if errors:
        raise ValidationError(errors)

    session = TrainingSession.objects.create(
        cohort=cohort,
        title=title.strip(),
        held_on=held_on,
        place=place.strip(),
        duration_hours=duration_hours,
        notes=notes,
        created_by=recorded_by,
        **counts,
    )
    SessionAttendee.objects.bulk_create(
        [
            SessionAttendee(
                session=session, name=a.name, email=a.email, institution=a.institution
            )
            for a in attendees
        ]
    )
    emails = [a.email for a in attendees if a.email]
    if emails:
        _invite(cohort=cohort, emails=emails, invited_by=recorded_by)
    return session


def attendance_certificates_request(
    *, session: TrainingSession, requested_by
) -> list[Any]:
    """Ask certificates for an attendance certificate for every listed
    attendee (the receiver is idempotent: asking twice changes nothing)."""
    if hooks.attendance_certificate_request.provider is None:
        raise ValidationError(
            _("Attendance certificates are not available on this platform yet.")
        )
    certificates = []
    with transaction.atomic():
        for attendee in session.attendees.order_by("id"):
            certificates.append(
                hooks.attendance_certificate_request.call(
                    attendee=attendee, requested_by=requested_by
                )
            )
    return certificates
