"""The trainer's review of a session's attendee list (fix a spelling, remove
a mistaken entry, add one by hand) and its confirmation, which certifies
the attendees who gave an email (docs/attendees.md).

Rules:
- a name is required; an email is unique in the session, whatever its case;
- an attendee who already holds an attendance certificate is not edited or
  removed here: the certificate printed their name (staff correct or revoke
  it in the admin);
- the head counts stay at least the list: after an addition, an edit or a
  confirmation they are raised (never lowered) so that the women and men
  counted are at least the attendees listed as women and men, and the total
  at least the number listed (the rest go to "other or not stated"). Removing
  an entry lowers nothing: the counts are the room's, typed by the trainer;
- confirming records who confirmed and when, then asks for one attendance
  certificate per attendee with an email who has none yet (the certificates
  receiver is idempotent too): confirming twice sends nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.caching import changed

from .. import hooks
from ..models import SessionAttendee, TrainingSession
from .cohorts import trainer_require_delivering

COUNT_FIELDS = ("participants_women", "participants_men", "participants_other")


@dataclass
class ConfirmResult:
    """What a confirmation did: the attendees whose certificate it asked for
    now, those certified before, those without email (or erased), and
    whether the head counts were raised."""

    requested: list[SessionAttendee] = field(default_factory=list)
    already: list[SessionAttendee] = field(default_factory=list)
    no_email: list[SessionAttendee] = field(default_factory=list)
    counts_raised: bool = False


def _lock(session: TrainingSession) -> TrainingSession:
    """The session row, locked until the transaction ends (a second click
    waits for the first to finish)."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _certified_ids(attendee_ids: list[int]) -> set[int]:
    if not attendee_ids:
        return set()
    statuses = hooks.attendee_certificate_status.call(
        default={}, attendee_ids=attendee_ids
    )
    return set(statuses)


def _certifiable(attendee: SessionAttendee) -> bool:
    """Has an address to send the certificate to. An attendee erased with a
    deleted account (cascades/data_rights.py) has no name and a placeholder
    address in the reserved .invalid domain: nobody to certify."""
    email = attendee.email.lower()
    return bool(attendee.name and email and not email.endswith("@invalid"))


def _refuse_if_certified(attendee: SessionAttendee) -> None:
    if attendee.pk in _certified_ids([attendee.pk]):
        raise ValidationError(
            _(
                "%(name)s already holds an attendance certificate: ask an "
                "administrator to correct or revoke it."
            )
            % {"name": attendee.name}
        )


def _clean(
    *,
    session: TrainingSession,
    name: str,
    email: str,
    institution: str,
    gender: str,
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """The fields stripped, or a ValidationError by field."""
    values = {
        "name": (name or "").strip(),
        "email": (email or "").strip(),
        "institution": (institution or "").strip(),
        "gender": gender or "",
    }
    errors: dict[str, list[str]] = {}
    if not values["name"]:
        errors["name"] = [_("Give the attendee's name.")]
    if values["gender"] not in {"", *SessionAttendee.Gender.values}:
        errors["gender"] = [_("Choose a gender from the list.")]
    if values["email"]:
        others = session.attendees.filter(email__iexact=values["email"])
        if exclude_pk is not None:
            others = others.exclude(pk=exclude_pk)
        other = others.first()
        if other is not None:
            errors["email"] = [
                _("%(email)s is already on this session's list (%(name)s).")
                % {"email": values["email"], "name": other.name}
            ]
    if errors:
        raise ValidationError(errors)
    return values


def counts_cover_attendees(*, session: TrainingSession) -> bool:
    """Raise the session's head counts (never lower them) to cover its list:
    women ≥ attendees listed as women, men ≥ those listed as men, and the
    total ≥ the number listed, the difference added to "other or not
    stated". Saves and returns True when a count changed."""
    listed = list(session.attendees.values_list("gender", flat=True))
    before = [getattr(session, f) for f in COUNT_FIELDS]
    women = max(session.participants_women, listed.count("woman"))
    men = max(session.participants_men, listed.count("man"))
    other = max(session.participants_other, len(listed) - women - men)
    after = [women, men, other]
    if after == before:
        return False
    for name, value in zip(COUNT_FIELDS, after, strict=True):
        setattr(session, name, value)
    session.save(update_fields=list(COUNT_FIELDS))
    return True


@transaction.atomic
def attendee_add(
    *,
    session: TrainingSession,
    added_by,
    name: str,
    email: str = "",
    institution: str = "",
    gender: str = "",
) -> tuple[SessionAttendee, bool]:
    """Add an attendee by hand. Returns it and whether the head counts were
    raised to cover the list. Nothing is written on a ValidationError."""
    trainer_require_delivering(cohort=session.cohort, user=added_by)
    session = _lock(session)
    values = _clean(
        session=session, name=name, email=email, institution=institution, gender=gender
    )
    attendee = SessionAttendee.objects.create(session=session, **values)
    raised = counts_cover_attendees(session=session)
    changed("cascades")
    return attendee, raised


@transaction.atomic
def attendee_update(
    *,
    attendee: SessionAttendee,
    updated_by,
    name: str,
    email: str = "",
    institution: str = "",
    gender: str = "",
) -> bool:
    """Fix an attendee's name, email, institution or gender. Returns whether
    the head counts were raised (a changed gender). Refused for an attendee
    who already holds a certificate."""
    trainer_require_delivering(cohort=attendee.session.cohort, user=updated_by)
    session = _lock(attendee.session)
    _refuse_if_certified(attendee)
    values = _clean(
        session=session,
        name=name,
        email=email,
        institution=institution,
        gender=gender,
        exclude_pk=attendee.pk,
    )
    for key, value in values.items():
        setattr(attendee, key, value)
    attendee.save(update_fields=list(values))
    raised = counts_cover_attendees(session=session)
    changed("cascades")
    return raised


@transaction.atomic
def attendee_remove(*, attendee: SessionAttendee, removed_by) -> None:
    """Remove a mistaken entry from the list (the head counts stay as typed).
    Refused for an attendee who already holds a certificate."""
    trainer_require_delivering(cohort=attendee.session.cohort, user=removed_by)
    _lock(attendee.session)
    _refuse_if_certified(attendee)
    attendee.delete()
    changed("cascades")


def attendees_confirm(*, session: TrainingSession, confirmed_by) -> ConfirmResult:
    """Confirm the session's attendee list: raise the head counts to cover
    it, record who confirmed it and when (again on every confirmation), and
    ask for the attendance certificate of every attendee with an email who
    has none yet. Idempotent: confirming again asks only for attendees added
    since. The certificates render and are emailed after the commit."""
    trainer_require_delivering(cohort=session.cohort, user=confirmed_by)
    if hooks.attendance_certificate_request.provider is None:
        raise ValidationError(
            _("Attendance certificates are not available on this platform yet.")
        )
    result = ConfirmResult()
    with transaction.atomic():
        locked = _lock(session)
        attendees = list(locked.attendees.order_by("name", "id"))
        certified = _certified_ids([a.pk for a in attendees])
        for attendee in attendees:
            if not _certifiable(attendee):
                result.no_email.append(attendee)
            elif attendee.pk in certified:
                result.already.append(attendee)
            else:
                hooks.attendance_certificate_request.call(
                    attendee=attendee, requested_by=confirmed_by
                )
                result.requested.append(attendee)
        result.counts_raised = counts_cover_attendees(session=locked)
        locked.attendees_confirmed_at = timezone.now()
        locked.attendees_confirmed_by = confirmed_by
        locked.save(update_fields=["attendees_confirmed_at", "attendees_confirmed_by"])
        changed("cascades")
    session.attendees_confirmed_at = locked.attendees_confirmed_at
    session.attendees_confirmed_by = confirmed_by
    for name in COUNT_FIELDS:
        setattr(session, name, getattr(locked, name))
    return result
