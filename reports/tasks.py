from __future__ import annotations

from celery import shared_task

from .services import export_job_build, export_jobs_sweep


# ignore_result: the job's row holds the outcome; nothing reads the result.
@shared_task(name="reports.build_export", acks_late=True, ignore_result=True)
def build_export(job_id: int) -> None:
    """Thin: the service claims the job, so a duplicate delivery does nothing."""
    export_job_build(job_id=job_id)


@shared_task(name="reports.sweep_stuck_exports", ignore_result=True)
def sweep_stuck_exports() -> int:
    return export_jobs_sweep()
