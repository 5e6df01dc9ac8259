"""The admin's long jobs: regenerate every issued certificate of a course
(in chunks of JOB_CHUNK, one task per chunk), or build a ZIP of a cohort's.

A run claims its job with a conditional UPDATE (queued, or running and not
claimed, or claimed longer ago than STALE_JOB), so that a second delivery of
the same task does nothing; every write of the run is conditional on that
claim, so that a run whose claim was taken over as stale stops without
counting anything twice. A job whose task was never published (broker down)
stays queued; the sweep publishes it again."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import timedelta

from django.core.files import File
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ..codes import generate_code
from ..models import Certificate, CertificateJob
from .base import queue_job
from .revoke import certificate_reissue

JOB_CHUNK = 50
# A chunk reissues JOB_CHUNK certificates (a few seconds); a ZIP reads every
# PDF of a cohort. A claim older than this belongs to a dead worker.
STALE_JOB = timedelta(minutes=10)


def _queued_after_commit(job: CertificateJob) -> CertificateJob:
    """Publish the job's task after the commit; `job.queued` then says
    whether the broker took it (False: the sweep will queue it)."""

    def publish():
        job.queued = queue_job(job.pk)

    transaction.on_commit(publish)
    return job


def certificates_regenerate_course(*, course, actor) -> CertificateJob:
    """Start a Celery job that reissues every issued certificate of a course."""
    with transaction.atomic():
        total = Certificate.objects.filter(
            enrolment__course=course, status=Certificate.Status.ISSUED
        ).count()
        job = CertificateJob.objects.create(
            kind=CertificateJob.Kind.REGENERATE,
            course=course,
            total=total,
            created_by=actor,
        )
        return _queued_after_commit(job)


def cohort_certificates(*, cohort_id: int):
    """A cohort's issued certificates with a PDF: its participants' and its
    sessions' attendees' (a holder who deleted their account has no PDF)."""
    return (
        Certificate.objects.filter(
            Q(enrolment__cohort_id=cohort_id)
            | Q(attendee__session__cohort_id=cohort_id),
            status=Certificate.Status.ISSUED,
        )
        .exclude(pdf="")
        .order_by("pk")
    )


def cohort_zip_build(*, cohort, actor) -> CertificateJob:
    """Start a Celery job that builds a ZIP of a cohort's issued certificates."""
    with transaction.atomic():
        total = cohort_certificates(cohort_id=cohort.pk).count()
        job = CertificateJob.objects.create(
            kind=CertificateJob.Kind.ZIP, cohort=cohort, total=total, created_by=actor
        )
        return _queued_after_commit(job)


def certificate_job_claim(*, job_id: int, now) -> bool:
    """Claim an unfinished job for one run, stamped `now`."""
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_JOB)
    return bool(
        CertificateJob.objects.filter(
            free,
            pk=job_id,
            status__in=[CertificateJob.Status.QUEUED, CertificateJob.Status.RUNNING],
        ).update(status=CertificateJob.Status.RUNNING, claimed_at=now)
    )


def certificate_job_run(*, job_id: int) -> CertificateJob | None:
    """Run one chunk of a job (a ZIP is one chunk). Returns the job, whose
    status is RUNNING if more chunks are to go (the caller queues the next),
    or None if there was nothing to do (finished, claimed, or gone)."""
    now = timezone.now()
    if not certificate_job_claim(job_id=job_id, now=now):
        return None
    job = CertificateJob.objects.select_related("created_by").get(pk=job_id)
    mine = CertificateJob.objects.filter(pk=job_id, claimed_at=now)
    try:
        if job.kind == CertificateJob.Kind.REGENERATE:
            _regenerate_chunk(job, mine)
        else:
            _zip_build(job, mine)
    except Exception as exc:
        job.status = CertificateJob.Status.FAILED
        mine.update(
            status=job.status,
            error=repr(exc)[:2000],
            finished_at=timezone.now(),
            claimed_at=None,
        )
        raise
    return job


def _regenerate_chunk(job: CertificateJob, mine) -> None:
    chunk = list(
        Certificate.objects.filter(
            enrolment__course_id=job.course_id,
            status=Certificate.Status.ISSUED,
            pk__gt=job.cursor,
        ).order_by("pk")[:JOB_CHUNK]
    )
    for certificate in chunk:
        # The progress and the reissue commit together, only under our claim.
        with transaction.atomic():
            if not mine.update(done=F("done") + 1, cursor=certificate.pk):
                job.status = CertificateJob.Status.QUEUED  # taken over: stop
                return
            certificate_reissue(certificate=certificate, actor=job.created_by)
        job.done += 1
        job.cursor = certificate.pk
    if len(chunk) < JOB_CHUNK:
        job.status = CertificateJob.Status.DONE
        job.finished_at = timezone.now()
        mine.update(status=job.status, finished_at=job.finished_at, claimed_at=None)
    else:
        mine.update(claimed_at=None)  # free for the next chunk's task


def _zip_build(job: CertificateJob, mine) -> None:
    storage = storages["private"]
    done = 0
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            assert job.cohort_id is not None  # a ZIP job names its cohort
            certificates = cohort_certificates(cohort_id=job.cohort_id).only(
                "code", "pdf"
            )
            for certificate in certificates.iterator():
                with storage.open(certificate.pdf.name, "rb") as pdf:
                    archive.writestr(f"{certificate.code}.pdf", pdf.read())
                done += 1
                if done % JOB_CHUNK == 0:
                    mine.update(done=done)
        handle.seek(0)
        token = generate_code().replace("-", "").lower()
        name = storage.save(
            f"certificates/zips/cohort-{job.cohort_id}-{job.pk}-{token}.zip",
            File(handle),
        )
    finished = {
        "file": name,
        "done": done,
        "total": max(job.total, done),
        "status": CertificateJob.Status.DONE,
        "finished_at": timezone.now(),
        "claimed_at": None,
    }
    if not mine.update(**finished):
        storage.delete(name)  # taken over as stale: the other run's ZIP is the one
        job.status = CertificateJob.Status.QUEUED
        return
    for field, value in finished.items():
        setattr(job, field, value)
