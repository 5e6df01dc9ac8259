"""The import job, run by Celery: write a confirmed import in chunks of
IMPORT_CHUNK rows, one task per chunk, and mail each participant once.

A run claims its job with a conditional UPDATE (queued, or running and not
claimed, or claimed longer ago than STALE_IMPORT), so that a second delivery
does nothing. A chunk's users, enrolments, per-row records (ImportRow) and
the job's cursor commit together, and only under the claim: a run killed
mid-chunk leaves nothing of it, and the next run starts again after the
cursor. The first chunk checks the whole file again against the database
(the dry run may be hours old): if any row went bad, nothing is written and
the job fails with those rows. A row that goes bad later (a seat taken in
between) is skipped and recorded.

Each enrolled row's welcome mail is its own task, queued after the chunk's
commit: claimed (mail_claimed_at), sent, then marked sent (mailed_at), like a
certificate's email. The sweep queues again jobs and mails that a broker
outage or a dead worker left behind."""

from __future__ import annotations

import logging
import time
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from relais.files import STORAGE_UNAVAILABLE
from relais.mail import recipient_language, send_templated, set_password_url

from .. import imports
from ..models import Cohort, Enrolment, ImportJob, ImportRow
from .enrolments import enrolment_create
from .errors import EnrolmentError
from .imports import import_file_delete, rows_validate, upload_storage

IMPORT_CHUNK = 500
# A chunk stops early past this many seconds (a loaded database), far from
# the tasks' time limit (CELERY_TASK_SOFT_TIME_LIMIT, 240 s).
CHUNK_SECONDS = 60
# A chunk writes IMPORT_CHUNK rows (about ten seconds); a claim older than
# this belongs to a dead worker.
STALE_IMPORT = timedelta(minutes=5)
# A mail claimed longer ago than this and still not marked sent is presumed
# lost with its worker (SMTP gives up after EMAIL_TIMEOUT, 20 s).
STALE_MAIL = timedelta(minutes=5)
# Work older than this and still waiting was probably never queued.
STALE_PENDING = timedelta(minutes=2)
SWEEP_BATCH = 2000
UNFINISHED = [ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
# Worth another try later (the task retries); anything else fails the job.
TRANSIENT: tuple[type[Exception], ...] = (*STORAGE_UNAVAILABLE, OperationalError)

logger = logging.getLogger("enrolment.imports")


def queue_task(task, *args) -> bool:
    """Publish `task`; False (and a log line) if the broker refused it: the
    row stays as it is and the sweep queues it again."""
    try:
        task.apply_async(args=list(args))
    except Exception:
        logger.exception(
            "Could not queue %s%r; the sweep will queue it again", task.name, args
        )
        return False
    return True


def queue_import_job(job_id: int) -> bool:
    from ..tasks import run_import_job

    return queue_task(run_import_job, job_id)


def queue_import_mail(row_id: int) -> bool:
    from ..tasks import send_import_mail

    return queue_task(send_import_mail, row_id)


def import_job_claim(*, job_id: int, now) -> bool:
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_IMPORT)
    return bool(
        ImportJob.objects.filter(free, pk=job_id, status__in=UNFINISHED).update(
            status=ImportJob.Status.RUNNING, claimed_at=now
        )
    )


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run one chunk. Returns the job (RUNNING: more chunks to go, the caller
    queues the next), or None if there was nothing to do."""
    now = timezone.now()
    if not import_job_claim(job_id=job_id, now=now):
        return None
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    mine = ImportJob.objects.filter(pk=job_id, claimed_at=now)
    try:
        with upload_storage().open(job.file.name, "rb") as handle:
            data = handle.read()
        rows = imports.parse(data)
        if job.cursor == 0 and not _all_still_valid(job, rows, mine):
            return job
        _write_chunk(job, rows, mine)
    except TRANSIENT:
        mine.update(claimed_at=None)  # the task's retry (or the sweep) goes on
        raise
    except Exception as exc:
        job.status = ImportJob.Status.FAILED
        if mine.update(
            status=job.status,
            error=repr(exc)[:2000],
            finished_at=timezone.now(),
            claimed_at=None,
        ):
            import_file_delete(job=job)
        raise
    return job


def _all_still_valid(job: ImportJob, rows: list[imports.Row], mine) -> bool:
    rows = rows_validate(rows=rows, default_cohort_id=job.default_cohort_id)
    bad = [r for r in rows if not r.ok]
    if not bad:
        mine.update(started_at=timezone.now(), total=len(rows))
        return True
    with transaction.atomic():
        if mine.update(
            status=ImportJob.Status.FAILED,
            finished_at=timezone.now(),
            claimed_at=None,
            skipped=len(bad),
            error="invalid rows",
        ):
            ImportRow.objects.bulk_create(
                [
                    ImportRow(
                        job=job,
                        line=r.line,
                        email=r.email[:254],
                        error="; ".join(r.errors),
                    )
                    for r in bad
                ],
                ignore_conflicts=True,
            )
    job.status = ImportJob.Status.FAILED
    import_file_delete(job=job)
    return False


def _write_chunk(job: ImportJob, rows: list[imports.Row], mine) -> None:
    chunk = [r for r in rows if r.line > job.cursor][:IMPORT_CHUNK]
    written: list[ImportRow] = []
    with transaction.atomic():
        # Checked again here: the chunk's facts (seats, accounts) as of now.
        rows_validate(rows=chunk, default_cohort_id=job.default_cohort_id)
        cohorts = {
            c.pk: c
            for c in Cohort.objects.select_related("course").filter(
                pk__in={r.cohort_id for r in chunk if r.cohort_id}
            )
        }
        skipped = 0
        began = time.monotonic()
        for row in chunk:
            record = _write_row(job, row, cohorts)
            skipped += 0 if record.enrolment_id else 1
            written.append(record)
            if time.monotonic() - began > CHUNK_SECONDS:
                break  # a slow database: commit what is done, well in time
        ImportRow.objects.bulk_create(written)
        last = written[-1].line if written else job.cursor
        finished = not written or last == rows[-1].line
        changes = {
            "cursor": last,
            "done": F("done") + len(written) - skipped,
            "skipped": F("skipped") + skipped,
            "claimed_at": None,  # free for the next chunk's task
        }
        if finished:
            changes |= {"status": ImportJob.Status.DONE, "finished_at": timezone.now()}
        if not mine.update(**changes):
            # Taken over as stale: the other run writes this chunk.
            transaction.set_rollback(True)
            job.status = ImportJob.Status.QUEUED
            return
        pks = [r.pk for r in written if r.enrolment_id]
        transaction.on_commit(lambda: [queue_import_mail(pk) for pk in pks])
    job.refresh_from_db()
    if job.status == ImportJob.Status.DONE:
        import_file_delete(job=job)


def _write_row(job: ImportJob, row: imports.Row, cohorts) -> ImportRow:
    record = ImportRow(job=job, line=row.line, email=row.email.strip()[:254])
    if not row.ok:
        record.error = "; ".join(row.errors)
        return record
    try:
        with transaction.atomic():
            if row.user_id is None:
                user = User(
                    email=row.email.strip(),
                    first_name=row.first_name,
                    last_name=row.last_name,
                    country=row.country,
                    institution=row.institution,
                )
                user.set_unusable_password()
                user.save()
                EmailAddress.objects.create(
                    user=user, email=user.email, verified=False, primary=True
                )
                record.new_user = True
            else:
                user = User.objects.get(pk=row.user_id)
            cohort = cohorts[row.cohort_id]
            record.enrolment = enrolment_create(
                user=user,
                course=cohort.course,
                cohort=cohort,
                source=Enrolment.Source.IMPORT,
                actor=job.created_by,
            )
            record.user = user
            # The address stays with the user (whose account deletion then
            # erases it); a skipped row keeps it to show on the job's page.
            record.email = ""
    except EnrolmentError as exc:
        record.error = str(exc.message)
        record.new_user = False
    return record


def import_row_mail(*, row_id: int) -> bool:
    """Send the welcome mail of one imported row, once. True if this call
    sent it."""
    now = timezone.now()
    claimed = ImportRow.objects.filter(
        Q(mail_claimed_at__isnull=True) | Q(mail_claimed_at__lt=now - STALE_MAIL),
        pk=row_id,
        enrolment__isnull=False,
        mailed_at__isnull=True,
    ).update(mail_claimed_at=now)
    if not claimed:
        return False
    mine = ImportRow.objects.filter(pk=row_id, mail_claimed_at=now)
    row = ImportRow.objects.select_related(
        "enrolment__user", "enrolment__cohort", "enrolment__course"
    ).get(pk=row_id)
    enrolment = row.enrolment
    assert enrolment is not None  # claimed only with an enrolment
    user = enrolment.user
    # The person's own language, else the cohort's: the mail and the pages
    # its links open are in it.
    language = recipient_language(user=user, cohort=enrolment.cohort)
    with translation.override(language):
        login_url = settings.SITE_URL + reverse("account_login")
    try:
        send_templated(
            to=user.email,
            template="enrolment/emails/imported",
            language=language,
            user=user,
            context={
                "course": enrolment.course,
                "cohort": enrolment.cohort,
                "set_password_url": (
                    set_password_url(user, language) if row.new_user else ""
                ),
                "login_url": login_url,
            },
        )
    except Exception:
        mine.update(mail_claimed_at=None)  # a retry (or the sweep) sends it
        raise
    mine.update(mailed_at=timezone.now())
    return True


def imports_sweep() -> dict[str, int]:
    """Queue again import jobs never queued or claimed by a dead worker, and
    welcome mails never queued or claimed by a dead worker."""
    now = timezone.now()
    jobs = list(
        ImportJob.objects.filter(
            Q(claimed_at__isnull=True, created_at__lt=now - STALE_PENDING)
            | Q(claimed_at__lt=now - STALE_IMPORT),
            status__in=UNFINISHED,
        ).values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    mails = list(
        ImportRow.objects.filter(
            Q(mail_claimed_at__isnull=True, created_at__lt=now - STALE_PENDING)
            | Q(mail_claimed_at__lt=now - STALE_MAIL),
            mailed_at__isnull=True,
            enrolment__isnull=False,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    for pk in jobs:
        queue_import_job(pk)
    for pk in mails:
        queue_import_mail(pk)
    return {"jobs": len(jobs), "mails": len(mails)}
