"""Reads for check-in: the session behind a typed or scanned code (for
anyone: the code is the key) and the trainer's live list."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import SessionAttendee, TrainingSession
from ..services.checkin import normalise_checkin_code


def checkin_session_by_code(*, code: str) -> TrainingSession | None:
    canonical = normalise_checkin_code(code)
    if not canonical:
        return None
    return (
        TrainingSession.objects.select_related("cohort", "cohort__course")
        .filter(checkin_code=canonical)
        .first()
    )


def checkin_attendees(*, session: TrainingSession) -> QuerySet[SessionAttendee]:
    """Who checked in from a phone, the latest first."""
    return session.attendees.filter(checked_in_at__isnull=False).order_by(
        "-checked_in_at", "-id"
    )
