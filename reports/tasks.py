from __future__ import annotations

from celery import shared_task

from .services import export_job_build


@shared_task(name="reports.build_export", acks_late=True)
def build_export(job_id: int) -> None:
    """Thin: the service claims the job, so a duplicate delivery does nothing."""
    export_job_build(job_id=job_id)
