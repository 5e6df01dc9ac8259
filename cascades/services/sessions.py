"""In-person sessions a trainer records, and attendance certificates for
their listed attendees."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enrolment.models import Cohort
from relais.caching import changed

from .. import hooks
from ..models import SessionAttendee, TrainingSession
from ..parsing import parse_attendee_lines
from .cohorts import cohort_invite_emails, trainer_require_delivering


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
    are invited to the cohort on the platform, within the trainer's daily
    limit: the ones left out are on the returned session's `not_invited`."""
    trainer_require_delivering(cohort=cohort, user=recorded_by)
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
    # A session held today or later may start at zero: its attendees check in
    # from their phones and raise the counts (services/checkin.py).
    if total == 0 and held_on < today and not errors:
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
    changed("cascades")
    emails = [a.email for a in attendees if a.email]
    session.not_invited = []
    if emails:
        _invited, session.not_invited = cohort_invite_emails(
            cohort=cohort, emails=emails, invited_by=recorded_by
        )
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
