"""What every certificate service shares: the verification URL, the history
of a certificate, and publishing its tasks.

Publishing never raises to the caller: a broker outage is logged and the
row stays as it is (pending, issued and not emailed, a job queued); the
periodic sweep (services/sweep.py) publishes it again once the broker is
back."""

from __future__ import annotations

import logging

from django.utils import timezone

from relais.caching import changed

from ..links import ISSUER, verify_url
from ..models import CertificateEvent

__all__ = [
    "ISSUER",
    "queue_email",
    "queue_job",
    "queue_render",
    "record_event",
    "verify_url",
]

logger = logging.getLogger("certificates.services")


def record_event(*, certificate_id: int, action: str, actor=None, **fields) -> None:
    """Every change of a certificate's state writes one event here, so this is
    also where the cached certificate figures (reports) are dropped."""
    CertificateEvent.objects.create(
        certificate_id=certificate_id,
        action=action,
        actor=actor,
        created_at=timezone.now(),
        **fields,
    )
    if action != "emailed":
        changed("certificates")


def queue_task(task, *args) -> bool:
    """Publish `task`; False (and a log line) if the broker refused it."""
    try:
        task.apply_async(args=list(args))
    except Exception:
        logger.exception(
            "Could not queue %s%r; the sweep will queue it again", task.name, args
        )
        return False
    return True


def queue_render(certificate_id: int) -> bool:
    from ..tasks import render_certificate

    return queue_task(render_certificate, certificate_id)


def queue_email(certificate_id: int) -> bool:
    from ..tasks import email_certificate

    return queue_task(email_certificate, certificate_id)


def queue_job(job_id: int) -> bool:
    from ..tasks import run_certificate_job

    return queue_task(run_certificate_job, job_id)
