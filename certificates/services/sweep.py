"""The periodic sweep (celery beat, platform/relais/celery.py): queue again
what a broker outage or a killed worker left behind, and request the
certificate of a completion that has none. Every task it queues claims its
work, so queuing one twice does nothing the second time."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Certificate, CertificateJob
from .base import queue_email, queue_job, queue_render
from .email import stale_email
from .jobs import STALE_JOB
from .render import STALE_RENDER
from .requests import certificate_request_for_enrolment


def stale_pending() -> timedelta:
    """Work older than this and still waiting was probably never queued
    (broker down when it was): its task normally runs within seconds.
    RELAIS_CERTIFICATE_PENDING_STALE_SECONDS, 2 minutes unless set."""
    return timedelta(seconds=settings.RELAIS_CERTIFICATE_PENDING_STALE_SECONDS)


SWEEP_BATCH = 500


def _request_missing(*, now) -> int:
    """Request the certificate of completed enrolments, in courses that issue
    them, that have none: completions from before the certificate was written
    in the completion's own transaction, or written around the services. A
    completion commits its pending certificate (enrolment/hooks.py), so this
    is defence in depth; it looks only at completions older than
    stale_pending(), like the rest of the sweep. Each request commits on its
    own and queues its render after that commit."""
    from enrolment.models import Enrolment

    missing = (
        Enrolment.objects.filter(
            Q(completed_at__lt=now - stale_pending()) | Q(completed_at__isnull=True),
            status=Enrolment.Status.COMPLETED,
            course__certificate_enabled=True,
            certificate__isnull=True,
        )
        .select_related("user", "course__locale")
        .order_by("pk")[:SWEEP_BATCH]
    )
    count = 0
    for enrolment in missing:
        with transaction.atomic():
            certificate_request_for_enrolment(enrolment=enrolment)
        count += 1
    return count


def certificates_sweep() -> dict[str, int]:
    """Request missing certificates, queue stuck renders, unsent emails and
    stuck jobs; returns how many of each."""
    now = timezone.now()
    missing = _request_missing(now=now)
    stuck = list(
        Certificate.objects.filter(
            Q(status=Certificate.Status.PENDING, created_at__lt=now - stale_pending())
            | Q(
                status=Certificate.Status.RENDERING,
                claimed_at__lt=now - STALE_RENDER,
            )
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    unsent = list(
        Certificate.objects.filter(
            status=Certificate.Status.ISSUED,
            emailed_at__isnull=True,
            issued_at__lt=now - stale_pending(),
        )
        .filter(
            Q(email_claimed_at__isnull=True)
            | Q(email_claimed_at__lt=now - stale_email())
        )
        .filter(Q(user__isnull=False) | ~Q(attendee__email=""))
        # Nobody to send to once the account is deleted (email.py).
        .exclude(user__anonymised_at__isnull=False)
        .exclude(attendee__email__iendswith="@invalid")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    jobs = list(
        CertificateJob.objects.filter(
            Q(claimed_at__isnull=True, created_at__lt=now - stale_pending())
            | Q(claimed_at__lt=now - STALE_JOB),
            status__in=[CertificateJob.Status.QUEUED, CertificateJob.Status.RUNNING],
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in stuck:
        queue_render(pk)
    for pk in unsent:
        queue_email(pk)
    for pk in jobs:
        queue_job(pk)
    return {
        "missing": missing,
        "render": len(stuck),
        "email": len(unsent),
        "jobs": len(jobs),
    }
