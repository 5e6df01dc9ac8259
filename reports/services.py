"""Export jobs: requested on the request thread, built by a Celery task."""

from __future__ import annotations

import logging
import tempfile

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from .exports import report_export, write_csv, write_xlsx
from .filters import filters_from_params
from .models import ExportJob

logger = logging.getLogger(__name__)

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


@transaction.atomic
def export_job_request(*, user, kind: str, fmt: str, params: dict) -> ExportJob:
    """Record an export job and queue its build after the commit."""
    from .tasks import build_export

    job = ExportJob.objects.create(
        requested_by=user, kind=kind, format=fmt, filters=export_params(params)
    )
    transaction.on_commit(lambda: build_export.delay(job.pk))
    return job


def export_job_build(*, job_id: int) -> ExportJob | None:
    """Build the file of a pending job. Claims the job with a conditional
    update, so a second delivery of the same task does nothing."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(
        pk=job_id, status=ExportJob.Status.PENDING
    ).update(status=ExportJob.Status.RUNNING, started_at=now)
    if not claimed:
        return None
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
            job.file.save(job.filename, File(tmp), save=False)
    except Exception as exc:
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=str(exc)[:1000],
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        return job
    job.row_count = row_count
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "row_count", "status", "finished_at"])
    return job


def export_job_get_for_user(*, user, pk: int) -> ExportJob:
    """The gatekeeper: a job its requester (or a superuser) may download."""
    from django.http import Http404

    job = ExportJob.objects.filter(pk=pk).first()
    if job is None or not (user.is_superuser or job.requested_by_id == user.pk):
        raise Http404
    return job
