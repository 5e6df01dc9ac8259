"""Issuing a certificate's credential, superseding it on reissue, the
revocation status list, and erasing the holder's name."""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import Certificate, Credential
from .documents import STATUS_LIST_SIZE, credential_document, status_list_document
from .sign import sign


def certificate_course(certificate: Certificate):
    """The course page a certificate is for (either kind)."""
    if certificate.kind == Certificate.Kind.ATTENDANCE:
        assert certificate.attendee is not None
        return certificate.attendee.session.cohort.course
    assert certificate.enrolment is not None
    return certificate.enrolment.course


def credential_issue(*, certificate: Certificate) -> Credential | None:
    """Sign the credential of an issued certificate, from its frozen facts,
    and store it; the certificate's current credential, if any, is
    superseded. Runs inside the caller's transaction (the one that issues
    or reissues the PDF). None when credentials are off or the holder's
    name was erased."""
    if not settings.RELAIS_CREDENTIALS or certificate.facts.get("name_removed"):
        return None
    now = timezone.now()
    with transaction.atomic():
        Credential.objects.filter(
            certificate=certificate, superseded_at__isnull=True
        ).update(superseded_at=now)
        credential = Credential.objects.create(
            certificate=certificate, uid=uuid.uuid4(), issued_at=now
        )
        document = credential_document(
            certificate=certificate,
            course=certificate_course(certificate),
            facts=certificate.facts,
            uid=credential.uid,
            index=credential.pk,
            issued_at=certificate.issued_at or now,
        )
        credential.jwt, credential.kid = sign(document)
        credential.sha256 = hashlib.sha256(credential.jwt.encode()).hexdigest()
        credential.save(update_fields=["jwt", "kid", "sha256"])
    return credential


def credential_current(*, certificate: Certificate) -> Credential | None:
    """The credential a holder downloads: the newest, not superseded, with
    its JWT (None once their name was erased)."""
    return (
        Credential.objects.filter(certificate=certificate, superseded_at__isnull=True)
        .exclude(jwt="")
        .first()
    )


def revoked_filter() -> Q:
    return Q(certificate__status=Certificate.Status.REVOKED) | Q(
        superseded_at__isnull=False
    )


def status_list_positions(number: int) -> set[int]:
    """The positions set in status list `number`: its credentials whose
    certificate is revoked, or that a reissue superseded."""
    start = number * STATUS_LIST_SIZE
    ids = Credential.objects.filter(
        revoked_filter(), pk__gte=start, pk__lt=start + STATUS_LIST_SIZE
    ).values_list("pk", flat=True)
    return {pk - start for pk in ids}


def status_list_token(number: int) -> str:
    """The signed status list credential, as of now."""
    token, _kid = sign(
        status_list_document(number=number, revoked=status_list_positions(number))
    )
    return token


def credentials_erase(*, certificates: QuerySet) -> int:
    """The holder's name leaves every stored credential: the JWTs go (their
    rows, and so their status, stay). Returns how many were erased."""
    return (
        Credential.objects.filter(certificate__in=certificates)
        .exclude(jwt="")
        .update(jwt="", erased_at=timezone.now())
    )
