"""Emailing an issued certificate, once.

The email is claimed with a timestamp (email_claimed_at) by a conditional
UPDATE, sent, and only then marked sent (emailed_at) with its event: a second
delivery finds the claim and does nothing; a worker that dies in between
leaves a claim that goes stale after stale_email(), and the sweep queues the
email again."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..formatting import certificate_details
from ..models import Certificate
from .base import record_event, verify_url


def stale_email() -> timedelta:
    """An email claimed longer ago than this and still not marked sent is
    presumed lost with its worker (SMTP gives up after EMAIL_TIMEOUT, 20 s):
    RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS, 5 minutes unless set."""
    return timedelta(seconds=settings.RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS)


def certificate_recipient(*, certificate: Certificate) -> str:
    """The address the certificate goes to ("" if there is none)."""
    if certificate.user is not None:
        # A deleted account's address is a placeholder: nobody to send to.
        return "" if certificate.user.anonymised_at else certificate.user.email
    if certificate.attendee is not None:
        address = certificate.attendee.email
        # An erased attendee carries a deleted account's placeholder, in the
        # reserved .invalid domain (RFC 2606): undeliverable by definition.
        return "" if address.lower().endswith("@invalid") else address
    return ""


def _message(*, certificate: Certificate, to: str) -> EmailMultiAlternatives:
    context = {
        "certificate": certificate,
        "facts": certificate.facts,
        # Formatted as the PDF formats them, in the certificate's language.
        "details": certificate_details(certificate.facts, certificate.language),
        "direction": "rtl"
        if translation.get_language_info(certificate.language)["bidi"]
        else "ltr",
        "verify_url": verify_url(code=certificate.code, language=certificate.language),
        "dashboard_url": f"{settings.SITE_URL}/{certificate.language}/dashboard/",
    }
    with translation.override(certificate.language):
        subject = " ".join(
            render_to_string(
                "certificates/emails/certificate_subject.txt", context
            ).split()
        )
        text = render_to_string("certificates/emails/certificate_body.txt", context)
        html = render_to_string("certificates/emails/certificate_body.html", context)
    message = EmailMultiAlternatives(subject, text, to=[to])
    message.attach_alternative(html, "text/html")
    with storages["private"].open(certificate.pdf.name, "rb") as handle:
        message.attach(f"{certificate.code}.pdf", handle.read(), "application/pdf")
    return message


def certificate_email(*, certificate_id: int) -> bool:
    """Email the issued certificate once. True if this call sent it."""
    now = timezone.now()
    claimed = Certificate.objects.filter(
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - stale_email()),
        pk=certificate_id,
        status=Certificate.Status.ISSUED,
        emailed_at__isnull=True,
    ).update(email_claimed_at=now)
    if not claimed:
        return False
    mine = Certificate.objects.filter(pk=certificate_id, email_claimed_at=now)
    certificate = Certificate.objects.select_related("user", "attendee").get(
        pk=certificate_id
    )
    to = certificate_recipient(certificate=certificate)
    if not to:  # no address (an attendee without email): the sweep skips these
        return False
    try:
        _message(certificate=certificate, to=to).send()
    except Exception:
        # Give the claim back so that a retry (or the sweep) sends it.
        mine.update(email_claimed_at=None)
        raise
    with transaction.atomic():
        if mine.update(emailed_at=timezone.now()):
            record_event(certificate_id=certificate_id, action="emailed", detail=to)
    return True
