"""Staff acts on one certificate: revoke it, restore one revoked by mistake,
or reissue it from the current data with the same code."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..credentials.issue import credential_issue
from ..models import Certificate
from .base import queue_email, record_event
from .facts import certificate_facts, certificate_load
from .render import render_and_store


def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke: the status changes; the row, the facts and the file stay."""
    return _revocation_set(
        certificate=certificate, reason=reason, actor=actor, revoked=True
    )


def certificate_restore(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Undo a revocation: the certificate is valid again, with the same code,
    facts and file. The revocation and the restoration stay in its history
    (events), which the verification page shows."""
    return _revocation_set(
        certificate=certificate, reason=reason, actor=actor, revoked=False
    )


def _revocation_set(
    *, certificate: Certificate, reason: str, actor, revoked: bool
) -> Certificate:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Give the reason for revoking this certificate.")
            if revoked
            else _("Give the reason for restoring this certificate.")
        )
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        is_revoked = certificate.status == Certificate.Status.REVOKED
        if revoked and is_revoked:
            raise ValidationError(_("This certificate is already revoked."))
        if not revoked and not is_revoked:
            raise ValidationError(_("Only a revoked certificate can be restored."))
        certificate.status = (
            Certificate.Status.REVOKED if revoked else Certificate.Status.ISSUED
        )
        certificate.revoked_at = timezone.now() if revoked else None
        certificate.revoked_reason = reason if revoked else ""
        certificate.revoked_by = actor if revoked else None
        certificate.save(
            update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"]
        )
        record_event(
            certificate_id=certificate.pk,
            action="revoked" if revoked else "restored",
            actor=actor,
            detail=reason,
        )
    return certificate


def certificate_reissue(
    *, certificate: Certificate, actor, email: bool = False
) -> Certificate:
    """A new PDF from the current data, same code. The previous file is
    deleted once this commits (it prints the holder's name, which must be
    erasable); the history keeps its name and SHA-256."""
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status != Certificate.Status.ISSUED:
            raise ValidationError(_("Only an issued certificate can be reissued."))
        certificate = certificate_load(certificate_id=locked.pk)
        previous = (certificate.pdf.name, certificate.sha256)
        facts = certificate_facts(certificate=certificate)
        name, digest = render_and_store(
            certificate=certificate, facts=facts, first=False
        )
        certificate.facts = facts
        certificate.pdf = name
        certificate.sha256 = digest
        certificate.issued_at = timezone.now()
        fields = ["facts", "pdf", "sha256", "issued_at"]
        if email:
            certificate.emailed_at = None
            certificate.email_claimed_at = None
            fields += ["emailed_at", "email_claimed_at"]
        certificate.save(update_fields=fields)
        record_event(
            certificate_id=certificate.pk,
            action="reissued",
            actor=actor,
            sha256=digest,
            pdf_name=name,
            detail=f"previous: {previous[0]} sha256 {previous[1]}",
        )
        credential_issue(certificate=certificate)  # supersedes the previous one
        if previous[0] and previous[0] != name:
            # robust: a storage error is logged, not raised after the commit;
            # a file left behind is deleted with the account (erase.py).
            transaction.on_commit(
                partial(storages["private"].delete, previous[0]), robust=True
            )
        if email:
            transaction.on_commit(lambda: queue_email(certificate.pk))
    return certificate
