"""Reports' share of deleting an account: stored enrolment-list exports
print participants' names and addresses, so when an account is deleted
every such export that may list the person loses its file
(accounts.hooks.user_anonymised, inside the anonymising transaction). The
aggregate reports name nobody and stay."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from .models import ExportJob, private_storage


def exports_drop_personal(*, user, old_email: str, **kwargs) -> int:
    """Delete the file of every enrolment-list export that may list `user`
    (one built after they enrolled); one being built loses its claim, so
    that build discards its file, and is queued again. Returns how many
    files were deleted. The files go before the commit, like the
    certificates' (certificates/services/erase.py)."""
    from .services import export_job_queue

    first = (
        user.enrolments.order_by("enrolled_at")
        .values_list("enrolled_at", flat=True)
        .first()
    )
    if first is None:
        return 0
    jobs = ExportJob.objects.select_for_update().filter(
        kind=ExportJob.Kind.ENROLMENT_LIST, created_at__gte=first
    )
    deleted = 0
    for job in jobs.order_by("pk"):
        if job.file:
            private_storage().delete(job.file.name)
            job.file = ""
            job.save(update_fields=["file"])
            deleted += 1
        elif job.status == ExportJob.Status.RUNNING:
            job.status = ExportJob.Status.PENDING
            job.started_at = None
            job.save(update_fields=["status", "started_at"])
            transaction.on_commit(partial(export_job_queue, job=job))
    return deleted
