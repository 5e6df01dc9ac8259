"""Check-in from attendees' phones (docs/checkin.md): the trainer opens it,
attendees add themselves through a short code (in a QR code or typed), the
trainer closes it or it closes at the end of the session's day."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.caching import changed

from ..models import SessionAttendee, TrainingSession
from ..parsing import is_valid_email, parse_attendee_lines
from .cohorts import cohort_invite_emails, trainer_require_delivering

# No O/0, I/1/L: read aloud or typed from a projector without doubt.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
NAME_MAX = 200


def checkin_url(*, code: str) -> str:
    """The language-neutral address in the QR code; it redirects to the
    visitor's language (cascades.checkin_views.checkin_start)."""
    return f"{settings.SITE_URL}/checkin/{code}/"


def checkin_enter_url() -> str:
    """Where a code is typed by hand (shown beside the code)."""
    return f"{settings.SITE_URL}/checkin/"


def normalise_checkin_code(raw: str) -> str:
    """A typed code in its stored form (upper case, no spaces or dashes)."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def checkin_day_end(*, session: TrainingSession) -> datetime.datetime:
    """The end of the session's day in the site's time zone."""
    zone = timezone.get_default_timezone()
    next_day = session.held_on + datetime.timedelta(days=1)
    return datetime.datetime.combine(next_day, datetime.time.min, tzinfo=zone)


def checkin_is_open(
    *, session: TrainingSession, now: datetime.datetime | None = None
) -> bool:
    now = now or timezone.now()
    return (
        session.checkin_opened_at is not None
        and session.checkin_closed_at is None
        and now < checkin_day_end(session=session)
    )


def checkin_code_ensure(*, session: TrainingSession) -> str:
    """The session's check-in code, assigned now if it has none (a random
    draw that retries on the unique constraint's rare collision)."""
    if session.checkin_code:
        return session.checkin_code
    for _attempt in range(10):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        try:
            with transaction.atomic():
                updated = TrainingSession.objects.filter(
                    pk=session.pk, checkin_code__isnull=True
                ).update(checkin_code=code)
        except IntegrityError:
            continue
        if not updated:  # another request assigned one meanwhile
            session.refresh_from_db(fields=["checkin_code"])
            assert session.checkin_code
            return session.checkin_code
        session.checkin_code = code
        return code
    raise RuntimeError("no free check-in code after 10 draws")


def checkin_open(*, session: TrainingSession) -> TrainingSession:
    """Open (or reopen) check-in; refused once the session's day has passed."""
    now = timezone.now()
    if now >= checkin_day_end(session=session):
        raise ValidationError(
            _(
                "The session's day has passed: check-in cannot be opened. "
                "Add the attendees with the attendee form instead."
            ),
            code="day_passed",
        )
    checkin_code_ensure(session=session)
    session.checkin_opened_at = now
    session.checkin_closed_at = None
    session.save(update_fields=["checkin_opened_at", "checkin_closed_at"])
    return session


def checkin_close(*, session: TrainingSession) -> TrainingSession:
    if session.checkin_opened_at is not None and session.checkin_closed_at is None:
        session.checkin_closed_at = timezone.now()
        session.save(update_fields=["checkin_closed_at"])
    return session


@dataclass
class CheckIn:
    attendee: SessionAttendee
    created: bool


# Which head-count column an attendee's answer counts in.
_COUNT_FIELD = {
    SessionAttendee.Gender.WOMAN: "participants_women",
    SessionAttendee.Gender.MAN: "participants_men",
}


def _validate(
    *, name: str, email: str, institution: str, gender: str, consent: bool
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give your name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("The name must be under 200 characters.")]
    if len(institution) > NAME_MAX:
        errors["institution"] = [_("The institution must be under 200 characters.")]
    if email and not is_valid_email(email):
        errors["email"] = [_("This is not a valid email address.")]
    if gender and gender not in SessionAttendee.Gender.values:
        errors["gender"] = [_("Choose one of the answers, or leave it empty.")]
    if not consent:
        errors["consent"] = [
            _("Agree to be listed as an attendee, or ask the trainer to add you.")
        ]
    return errors


def attendee_check_in(
    *,
    session: TrainingSession,
    name: str,
    email: str = "",
    institution: str = "",
    gender: str = "",
    consent: bool = False,
) -> CheckIn:
    """Add the attendee to the session's list, or update the one with the
    same email (any case): one person, one line. Raises ValidationError
    (code "closed") when check-in is not open, with nothing written."""
    name, email, institution = name.strip(), email.strip(), institution.strip()
    if not checkin_is_open(session=session):
        raise ValidationError(_("Check-in for this session is closed."), code="closed")
    errors = _validate(
        name=name, email=email, institution=institution, gender=gender, consent=consent
    )
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    fields = {
        "name": name,
        "institution": institution,
        "gender": gender,
        "checked_in_at": now,
    }
    with transaction.atomic():
        attendee = None
        if email:
            attendee = (
                SessionAttendee.objects.select_for_update()
                .filter(session=session, email__iexact=email)
                .first()
            )
        if attendee is None:
            try:
                with transaction.atomic():
                    attendee = SessionAttendee.objects.create(
                        session=session, email=email, **fields
                    )
            except IntegrityError:  # the same email, checked in at this instant
                attendee = SessionAttendee.objects.get(
                    session=session, email__iexact=email
                )
            else:
                _count_in(session=session, gender=gender)
                changed("cascades")
                return CheckIn(attendee=attendee, created=True)
        for key, value in fields.items():
            setattr(attendee, key, value)
        attendee.email = email
        attendee.save(update_fields=[*fields, "email"])
    return CheckIn(attendee=attendee, created=False)


def _count_in(*, session: TrainingSession, gender: str) -> None:
    """Keep the head count at least the number listed (the rule of
    session_record): a check-in beyond it counts in its gender's column."""
    session.refresh_from_db(
        fields=["participants_women", "participants_men", "participants_other"]
    )
    if session.attendees.count() <= session.participants_total:
        return
    column = _COUNT_FIELD.get(gender, "participants_other")  # type: ignore[call-overload]
    TrainingSession.objects.filter(pk=session.pk).update(**{column: F(column) + 1})
    session.refresh_from_db(fields=[column])


@dataclass
class SheetResult:
    added: int
    updated: int
    not_invited: list[str]


def session_attendees_add(
    *, session: TrainingSession, text: str, added_by
) -> SheetResult:
    """Type in a paper sign-in sheet: lines as in the session form (name,
    email, institution). An email already listed (any case) updates that
    attendee; the head count grows to at least the number listed; people
    with an email are invited as the session form invites them. Any error
    is raised before anything is written."""
    trainer_require_delivering(cohort=session.cohort, user=added_by)
    lines, errors = parse_attendee_lines(text)
    if errors:
        raise ValidationError({"attendees_text": errors})
    if not lines:
        raise ValidationError({"attendees_text": [_("Give at least one attendee.")]})
    added = updated = 0
    with transaction.atomic():
        for line in lines:
            existing = (
                session.attendees.select_for_update()
                .filter(email__iexact=line.email)
                .first()
                if line.email
                else None
            )
            if existing is None:
                session.attendees.create(
                    name=line.name, email=line.email, institution=line.institution
                )
                added += 1
                _count_in(session=session, gender="")
            else:
                existing.name, existing.institution = line.name, line.institution
                existing.save(update_fields=["name", "institution"])
                updated += 1
        changed("cascades")
    emails = [line.email for line in lines if line.email]
    not_invited: list[str] = []
    if emails:
        _invited, not_invited = cohort_invite_emails(
            cohort=session.cohort, emails=emails, invited_by=added_by
        )
    return SheetResult(added=added, updated=updated, not_invited=not_invited)
