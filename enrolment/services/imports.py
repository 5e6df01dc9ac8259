"""Bulk CSV import: the dry run (validate against the database, keep the file
as a DRAFT job), the confirmation that queues the job, and the deletion of
uploads nobody confirmed. Parsing and the rules are in enrolment.imports
(pure); the job itself (chunks, mails, sweep) in services/import_jobs.py."""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import User
from relais.files import STORAGE_UNAVAILABLE

from .. import imports
from ..models import Cohort, Enrolment, ImportJob
from .enrolments import SEATED

logger = logging.getLogger("enrolment.imports")

# A dry run nobody confirmed within this time is abandoned: its upload
# (personal data) is deleted by the periodic clean-up.
DRAFT_LIFETIME = timedelta(days=1)
# How many refused rows a page lists; the rest are counted.
SHOWN_BAD_ROWS = 200


def upload_storage():
    """Where uploads are kept: the private store (looked up on each use, as
    the certificates do, so that a changed STORAGES setting is followed)."""
    return storages["private"]


def import_validate(
    *, data: bytes, default_cohort_id: int | None = None
) -> list[imports.Row]:
    """Parse and check every row (raises imports.ImportRefused for the whole
    file). A fixed number of queries, whatever the number of rows."""
    return rows_validate(rows=imports.parse(data), default_cohort_id=default_cohort_id)


def rows_validate(
    *, rows: list[imports.Row], default_cohort_id: int | None
) -> list[imports.Row]:
    """Check parsed rows against the database as it is now."""
    cohorts = [
        imports.CohortInfo(
            id=c.pk,
            name=c.name,
            course_id=c.course_id,
            capacity=c.capacity,
            seated=c.seated,
            enrolment_key=c.enrolment_key,
        )
        for c in Cohort.objects.annotate(
            seated=Count("enrolments", filter=Q(enrolments__status__in=SEATED))
        ).only("id", "name", "course_id", "capacity", "enrolment_key")
    ]
    emails_lower = {
        r.email.strip().lower()
        for r in rows
        if r.email.strip() and "\ufffd" not in r.email  # a NUL was there
    }
    users = dict(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails_lower)
        .values_list("email_lower", "pk")
    )
    seated: dict[int, set[int]] = defaultdict(set)
    for user_id, course_id in Enrolment.objects.filter(
        user_id__in=list(users.values()), status__in=SEATED
    ).values_list("user_id", "course_id"):
        seated[user_id].add(course_id)
    return imports.validate_rows(
        rows,
        cohorts=cohorts,
        default_cohort_id=default_cohort_id,
        users_by_email=users,
        seated_course_ids_by_user=seated,
    )


@dataclass
class DryRun:
    """What the dry-run page shows: counts and the refused rows, not every
    good row (a 20,000-row file would be megabytes of HTML)."""

    job: ImportJob | None
    total: int = 0
    new_accounts: int = 0
    existing_accounts: int = 0
    bad: list[imports.Row] = field(default_factory=list)
    bad_count: int = 0

    @property
    def ok(self) -> bool:
        return self.bad_count == 0

    @property
    def bad_not_shown(self) -> int:
        return self.bad_count - len(self.bad)


def dry_run_summary(rows: list[imports.Row], job: ImportJob | None) -> DryRun:
    bad = [r for r in rows if not r.ok]
    good = [r for r in rows if r.ok]
    return DryRun(
        job=job,
        total=len(rows),
        new_accounts=sum(1 for r in good if r.user_id is None),
        existing_accounts=sum(1 for r in good if r.user_id is not None),
        bad=bad[:SHOWN_BAD_ROWS],
        bad_count=len(bad),
    )


def import_dry_run(*, data: bytes, default_cohort: Cohort | None, actor) -> DryRun:
    """Validate an upload. If every row is good, keep the file as a DRAFT job
    that `import_start` can confirm; otherwise keep nothing. Raises
    imports.ImportRefused for a file refused as a whole."""
    rows = import_validate(
        data=data, default_cohort_id=default_cohort.pk if default_cohort else None
    )
    if not all(r.ok for r in rows):
        return dry_run_summary(rows, None)
    token = secrets.token_urlsafe(24)
    job = ImportJob(
        token=token,
        default_cohort=default_cohort,
        total=len(rows),
        created_by=actor if actor is not None and actor.is_authenticated else None,
    )
    job.file = upload_storage().save(
        f"enrolment-imports/{token}.csv", ContentFile(data)
    )
    try:
        job.save()
    except Exception:
        upload_storage().delete(job.file.name)
        raise
    return dry_run_summary(rows, job)


def import_start(*, token: str, actor) -> ImportJob | None:
    """Confirm the dry run whose token this is (it must be the actor's own):
    DRAFT -> QUEUED, and the job's first chunk is queued after the commit.
    None if there is no such draft (expired, already confirmed, someone
    else's). A double click confirms once (a conditional update)."""
    from .import_jobs import queue_import_job

    if not token:
        return None
    with transaction.atomic():
        started = ImportJob.objects.filter(
            token=token,
            status=ImportJob.Status.DRAFT,
            created_by=actor,
            created_at__gte=timezone.now() - DRAFT_LIFETIME,
        ).update(status=ImportJob.Status.QUEUED)
        if not started:
            return None
        job = ImportJob.objects.get(token=token)
        transaction.on_commit(lambda: queue_import_job(job.pk))
    return job


def import_file_delete(*, job: ImportJob) -> None:
    """Delete the job's upload (personal data) and forget its name."""
    if not job.file:
        return
    name = job.file.name
    try:
        upload_storage().delete(name)
    except STORAGE_UNAVAILABLE:  # the store is down: the clean-up retries
        logger.exception("Could not delete import upload %s", name)
        return
    ImportJob.objects.filter(pk=job.pk, file=name).update(file="")
    job.file = ""


def imports_clean_up() -> dict[str, int]:
    """Delete the uploads of dry runs older than DRAFT_LIFETIME (and their
    drafts), and of finished jobs whose file is still there (a deletion that
    failed). Run by celery beat."""
    cutoff = timezone.now() - DRAFT_LIFETIME
    drafts = list(
        ImportJob.objects.filter(status=ImportJob.Status.DRAFT, created_at__lt=cutoff)
    )
    for job in drafts:
        import_file_delete(job=job)
        if not job.file:
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.DRAFT).delete()
    finished = list(
        ImportJob.objects.filter(
            status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]
        ).exclude(file="")
    )
    for job in finished:
        import_file_delete(job=job)
    return {"drafts": len(drafts), "finished": len(finished)}
