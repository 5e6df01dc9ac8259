"""Export jobs: requested on the request thread, built by a Celery task.

A build claims its job with a conditional UPDATE (pending, or running with a
claim older than STALE_EXPORT, becomes running with our start time), so that
a second delivery of the task does nothing; the outcome is written only
where our claim still holds. A job whose task was never published (broker
down) stays pending, and the sweep publishes it again."""

from __future__ import annotations

import logging
import tempfile
from datetime import timedelta

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .exports import report_export, write_csv, write_xlsx
from .filters import filters_from_params
from .models import ExportJob, private_storage

logger = logging.getLogger(__name__)

# A pending job older than this was probably never queued (broker down).
STALE_PENDING = timedelta(minutes=2)
# A build claimed longer ago than this belongs to a dead worker (the task's
# hard time limit is 5 minutes) and may be claimed again.
STALE_EXPORT = timedelta(minutes=10)

# The query-string keys an export job keeps (filters, grouping, sort).
EXPORT_PARAMS = [
    "course",
    "cohort",
    "country",
    "institution",
    "date_from",
    "date_to",
    "granularity",
    "by",
    "sort",
]


def export_params(params) -> dict:
    return {k: params.get(k) for k in EXPORT_PARAMS if params.get(k)}


def export_job_queue(*, job: ExportJob) -> bool:
    """Publish the job's build; sets `job.queued`. A broker outage is logged,
    not raised: the job stays pending and the sweep queues it again."""
    from .tasks import build_export

    try:
        build_export.apply_async(args=[job.pk])
    except Exception:
        logger.exception("Could not queue export job %s; the sweep will", job.pk)
        job.queued = False
    else:
        job.queued = True
    return job.queued


def export_job_request(*, user, kind: str, fmt: str, params: dict) -> ExportJob:
    """Record an export job and queue its build after the commit."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=user, kind=kind, format=fmt, filters=export_params(params)
        )
        transaction.on_commit(lambda: export_job_queue(job=job))
    return job


def export_job_build(*, job_id: int) -> ExportJob | None:
    """Build the file of a pending job. None if there was nothing to do
    (built, failed, being built by someone else, or gone)."""
    now = timezone.now()
    claimable = Q(status=ExportJob.Status.PENDING) | Q(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_EXPORT
    )
    claimed = ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportJob.Status.RUNNING, started_at=now
    )
    if not claimed:
        return None
    mine = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.RUNNING, started_at=now
    )
    job = ExportJob.objects.get(pk=job_id)
    try:
        filters = filters_from_params(job.filters)
        if filters is None:
            raise ValueError("invalid filters")
        header, rows, _count = report_export(job.kind, filters, job.filters)
        writer = write_xlsx if job.format == ExportJob.Format.XLSX else write_csv
        with tempfile.TemporaryFile() as tmp:
            row_count = writer(header, rows, tmp)
            tmp.seek(0)
            # Through the storage as configured now (folder or bucket), as
            # the download reads it; the field still says where (upload_to).
            name = job.file.field.generate_filename(job, job.filename)
            job.file = private_storage().save(name, File(tmp))
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        mine.update(
            status=ExportJob.Status.FAILED,
            error=str(exc)[:1000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    finished = {
        "file": job.file.name,
        "row_count": row_count,
        "status": ExportJob.Status.DONE,
        "finished_at": timezone.now(),
    }
    if not mine.update(**finished):
        # Taken over as stale: the other build's file is the one.
        private_storage().delete(job.file.name)
        return None
    for field, value in finished.items():
        setattr(job, field, value)
    return job


def export_jobs_sweep() -> int:
    """Queue again the builds a broker outage or a killed worker left
    behind; returns how many."""
    now = timezone.now()
    stuck = list(
        ExportJob.objects.filter(
            Q(status=ExportJob.Status.PENDING, created_at__lt=now - STALE_PENDING)
            | Q(status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_EXPORT)
        )[:500]
    )
    for job in stuck:
        export_job_queue(job=job)
    return len(stuck)


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """The gatekeeper: a job its requester (or a superuser) may download."""
    from django.http import Http404

    job = ExportJob.objects.filter(pk=pk).first()
    if job is None or not (user.is_superuser or job.requested_by_id == user.pk):
        raise Http404
    return job
