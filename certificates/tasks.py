"""Celery tasks: thin wrappers over the services. Retries live here.

Every task takes primary keys and is idempotent: the services claim their
work with conditional updates, so a task delivered twice does nothing the
second time."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import transaction

from relais.files import STORAGE_UNAVAILABLE

from . import services

# Storage and mail failures are worth retrying; a bug is not (it would fail
# the same way, and the sweep picks the certificate up again later anyway).
TRANSIENT = (
    *STORAGE_UNAVAILABLE,
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
)


# ignore_result: nothing reads these results (the database holds the state),
# so the workers write nothing to the result backend.


@shared_task(
    bind=True,
    name="certificates.tasks.render_certificate",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=2,
    retry_backoff_max=300,
    retry_jitter=True,
    max_retries=6,
)
def render_certificate(self, certificate_id: int) -> str:
    # A message Celery gave back because the worker running it was lost
    # comes again with the same task id, marked redelivered: it may take
    # over the claim its dead first delivery left (services/render.py).
    delivery_info = self.request.delivery_info or {}
    certificate = services.certificate_render(
        certificate_id=certificate_id,
        delivery=self.request.id or "",
        redelivered=bool(delivery_info.get("redelivered")),
    )
    if certificate is None:
        return "nothing to do"
    transaction.on_commit(lambda: services.queue_email(certificate.pk))
    return certificate.status


@shared_task(
    name="certificates.tasks.email_certificate",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def email_certificate(certificate_id: int) -> bool:
    return services.certificate_email(certificate_id=certificate_id)


@shared_task(name="certificates.tasks.sweep_stuck_certificates", ignore_result=True)
def sweep_stuck_certificates() -> dict[str, int]:
    return services.certificates_sweep()


@shared_task(
    name="certificates.tasks.run_certificate_job",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def run_certificate_job(job_id: int) -> str:
    job = services.certificate_job_run(job_id=job_id)
    if job is None:
        return "nothing to do"
    if job.status == job.Status.RUNNING:  # more chunks to go
        transaction.on_commit(lambda: services.queue_job(job.pk))
    return job.status
