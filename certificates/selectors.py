"""Reads: the gatekeeper for a certificate, the public lookup, the
dashboard list and the admin list."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404

from .codes import normalise_code
from .models import Certificate, CertificateJob, Credential


def certificate_by_code(*, code: str) -> Certificate | None:
    """The certificate a typed code names (any case, any separators)."""
    canonical = normalise_code(code)
    if canonical is None:
        return None
    return Certificate.objects.filter(code=canonical).first()


def certificate_get_for_user(*, user, code: str) -> Certificate:
    """The one gatekeeper: its owner and staff see an issued certificate's
    file; everyone else gets 404, whether or not the code exists."""
    certificate = certificate_by_code(code=code)
    if certificate is None or not user.is_authenticated:
        raise Http404
    if user.is_staff:
        if not certificate.pdf:
            raise Http404
        return certificate
    if (
        certificate.user_id != user.pk
        or certificate.status != Certificate.Status.ISSUED
    ):
        raise Http404
    return certificate


def certificates_for_user(*, user) -> list[Certificate]:
    """The user's certificates for the dashboard, in one query, each with
    `course_title` (the course page's title, for certificates whose frozen
    facts lack one) rather than the whole course page joined in."""
    current = Credential.objects.filter(
        certificate=OuterRef("pk"), superseded_at__isnull=True
    ).exclude(jwt="")
    return list(
        Certificate.objects.filter(user=user)
        .annotate(
            course_title=F("enrolment__course__title"),
            has_credential=Exists(current),
        )
        .order_by("-created_at")
    )


def certificates_admin_list(*, filters: dict) -> QuerySet[Certificate]:
    qs = Certificate.objects.select_related(
        "user", "enrolment__course", "enrolment__cohort", "attendee__session__cohort"
    ).order_by("-created_at", "-pk")
    if filters.get("course"):
        qs = qs.filter(enrolment__course=filters["course"])
    if filters.get("cohort"):
        qs = qs.filter(enrolment__cohort=filters["cohort"]) | qs.filter(
            attendee__session__cohort=filters["cohort"]
        )
    if filters.get("country"):
        qs = qs.filter(facts__country=filters["country"]) | qs.filter(
            user__country=filters["country"]
        )
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("issued_from"):
        qs = qs.filter(issued_at__date__gte=filters["issued_from"])
    if filters.get("issued_to"):
        qs = qs.filter(issued_at__date__lte=filters["issued_to"])
    if filters.get("code"):
        canonical = normalise_code(filters["code"])
        qs = qs.filter(code=canonical or filters["code"])
    return qs


def certificate_jobs_recent(*, limit: int = 20) -> list[CertificateJob]:
    return list(
        CertificateJob.objects.select_related("course", "cohort", "created_by")[:limit]
    )
