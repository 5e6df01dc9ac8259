"""Cascades' share of deleting an account: a session attendee listed with the
person's address is the person, so their name leaves the attendee list.
The row stays for the reach (its address becomes the account's placeholder,
so the person is still counted once where enrolment and attendance meet)."""

from __future__ import annotations


def attendees_anonymise(*, user, old_email: str, **kwargs) -> list[int]:
    """accounts.hooks.user_anonymised: erase the attendees listed with
    `old_email` and announce them (hooks.attendees_anonymised). Returns
    their ids."""
    from .hooks import attendees_anonymised
    from .models import SessionAttendee

    if not old_email:
        return []
    attendees = SessionAttendee.objects.filter(email__iexact=old_email)
    ids = list(attendees.values_list("pk", flat=True))
    if ids:
        SessionAttendee.objects.filter(pk__in=ids).update(name="", email=user.email)
        attendees_anonymised.send(attendee_ids=ids)
    return ids
