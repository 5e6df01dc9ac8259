"""Celery tasks of the enrolment app: thin wrappers over the services.
Retries live here; the services claim their work with conditional updates,
so a task delivered twice does nothing the second time."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import transaction

from .services import import_jobs, imports
from .services.progress import furthest_lesson_refresh_around

# Storage, database and mail failures are worth retrying; a bug is not.
TRANSIENT = (*import_jobs.TRANSIENT, smtplib.SMTPException, ConnectionError)


@shared_task(name="enrolment.refresh_furthest_lesson", ignore_result=True)
def refresh_furthest_lesson(paths: list[str], only_missing: bool = False) -> int:
    """A lesson or module moved or was deleted (the page paths around it):
    its courses' furthest lessons are worked out again, outside the editor's
    request. Idempotent: only changed rows are written."""
    return furthest_lesson_refresh_around(paths=paths, only_missing=only_missing)


@shared_task(
    name="enrolment.run_import_job",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_jitter=True,
    max_retries=5,
)
def run_import_job(job_id: int) -> str:
    """One chunk of a confirmed participant import; queues the next."""
    job = import_jobs.import_job_run(job_id=job_id)
    if job is None:
        return "nothing to do"
    if job.status == job.Status.RUNNING:  # more chunks to go
        transaction.on_commit(lambda: import_jobs.queue_import_job(job.pk))
    return job.status


@shared_task(
    name="enrolment.send_import_mail",
    ignore_result=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_import_mail(row_id: int) -> bool:
    """The welcome mail of one imported participant, once."""
    return import_jobs.import_row_mail(row_id=row_id)


@shared_task(name="enrolment.sweep_imports", ignore_result=True)
def sweep_imports() -> dict[str, int]:
    return import_jobs.imports_sweep()


@shared_task(name="enrolment.clean_up_imports", ignore_result=True)
def clean_up_imports() -> dict[str, int]:
    return imports.imports_clean_up()
