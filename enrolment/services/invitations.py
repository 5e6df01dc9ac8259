"""Invitations by email to join a cohort."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from relais.mail import recipient_language, send_templated

from ..models import Cohort, Enrolment, Invitation
from .enrolments import enrolment_create
from .errors import AlreadyEnrolled, InvitationNotYours, InvitationUsed


def invitation_url(invitation: Invitation) -> str:
    with translation.override(invitation.cohort.language or settings.LANGUAGE_CODE):
        path = reverse("invitation", kwargs={"token": invitation.token})
    return settings.SITE_URL + path


def _send_invitation(invitation_id: int) -> None:
    invitation = (
        Invitation.objects.select_related("cohort__course", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return
    # Invitations carry the cohort's language (the link opens in it); the
    # greeting uses the name of the account the address belongs to, if any.
    account = User.objects.filter(email__iexact=invitation.email).first()
    send_templated(
        to=invitation.email,
        template="enrolment/emails/invitation",
        language=recipient_language(cohort=invitation.cohort),
        user=account,
        context={
            "invitation": invitation,
            "cohort": invitation.cohort,
            "course": invitation.cohort.course,
            "url": invitation_url(invitation),
        },
    )


def _normalise_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(email)s” is not a valid email address."), params={"email": email}
        ) from exc
    return email


@transaction.atomic
def invitation_create(*, cohort: Cohort, email: str, invited_by) -> Invitation:
    """Invite `email` to `cohort`. Idempotent: inviting the same address to
    the same cohort again returns the first invitation (and sends no mail)."""
    email = _normalise_email(email)
    existing = Invitation.objects.filter(cohort=cohort, email__iexact=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                cohort=cohort,
                email=email,
                token=secrets.token_urlsafe(32),
                invited_by=invited_by,
                created_at=timezone.now(),
            )
    except IntegrityError:
        return Invitation.objects.get(cohort=cohort, email__iexact=email)
    transaction.on_commit(lambda: _send_invitation(invitation.pk))
    return invitation


@transaction.atomic
def invitations_create_bulk(*, cohort: Cohort, emails, invited_by) -> list[Invitation]:
    """All or nothing: one bad address refuses the whole list."""
    cleaned = []
    seen = set()
    bad = []
    for raw in emails:
        raw = (raw or "").strip()
        if not raw:
            continue
        try:
            email = _normalise_email(raw)
        except ValidationError:
            bad.append(raw)
            continue
        if email.lower() not in seen:
            seen.add(email.lower())
            cleaned.append(email)
    if bad:
        raise ValidationError(
            _("Not valid email addresses: %(emails)s"),
            params={"emails": ", ".join(bad)},
        )
    return [
        invitation_create(cohort=cohort, email=email, invited_by=invited_by)
        for email in cleaned
    ]


def invitation_is_for(*, invitation: Invitation, user) -> bool:
    """Whether `user` owns the address the invitation was sent to: their
    account's email, or another address of theirs that they verified."""
    from allauth.account.models import EmailAddress

    if not user.is_authenticated:
        return False
    if (user.email or "").lower() == invitation.email.lower():
        return True
    return EmailAddress.objects.filter(
        user=user, email__iexact=invitation.email, verified=True
    ).exists()


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Enrolment:
    """Enrol `user` in the invitation's cohort. Only the owner of the invited
    address may (InvitationNotYours for anyone else, and the invitation stays
    as it was, still open to its owner). Accepting twice is harmless; an
    invitation accepted by someone else cannot be used again."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("cohort__course")
        .get(pk=invitation.pk)
    )
    if invitation.accepted_by_id and invitation.accepted_by_id != user.pk:
        raise InvitationUsed()
    if invitation.accepted_by_id is None and not invitation_is_for(
        invitation=invitation, user=user
    ):
        raise InvitationNotYours()
    try:
        enrolment = enrolment_create(
            user=user,
            course=invitation.cohort.course,
            cohort=invitation.cohort,
            source=Enrolment.Source.INVITATION,
            actor=user,
        )
    except AlreadyEnrolled as exc:
        enrolment = exc.enrolment
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return enrolment
