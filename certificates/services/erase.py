"""Data rights: a holder's name leaves every stored file. When a person
deletes their account, their certificates stay (code, course, dates,
status: verification still answers, saying the name was removed), but every
file that printed the name goes: each PDF version the history names, and
every cohort ZIP that may hold one of them.

The files are deleted inside the caller's transaction, after the rows are
changed and before the commit: an account is never reported deleted while a
file still names it, and a storage error refuses the deletion (the person
can try again). A ZIP being built meanwhile loses its claim, so that run
discards its ZIP (jobs.py), and is queued again: the new ZIP holds no PDF
of the holder. A render under way is sent back to pending the same way and
queued again; it renders from the anonymised data over the same file name."""

from __future__ import annotations

from functools import partial

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ..credentials.issue import credentials_erase
from ..models import Certificate, CertificateEvent, CertificateJob
from .base import queue_job, queue_render, record_event
from .facts import NAME_REMOVED
from .render import pdf_name


def certificate_files(*, certificate: Certificate) -> set[str]:
    """Every stored PDF of the certificate: the current one and each version
    its history names (older versions are deleted by their reissue, but a
    deletion lost to a crash must not leave a name behind)."""
    names = set(
        certificate.events.exclude(pdf_name="").values_list("pdf_name", flat=True)
    )
    # A first render that stored its file and then failed left no event.
    names.add(pdf_name(certificate=certificate, first=True))
    if certificate.pdf:
        names.add(certificate.pdf.name)
    return names


def certificates_erase_names(*, certificates: QuerySet, detail: str) -> int:
    """Remove the holder's name from `certificates` and delete every stored
    file that printed it: their PDFs (all versions) and their cohorts' ZIPs.
    Returns how many files were deleted. Runs inside the caller's
    transaction (or its own)."""
    storage = storages["private"]
    now = timezone.now()
    files: set[str] = set()
    with transaction.atomic():
        ids = list(certificates.values_list("pk", flat=True))
        # No join in the locking query: PostgreSQL cannot lock the nullable
        # side of an outer join.
        locked = Certificate.objects.select_for_update().filter(pk__in=ids)
        for certificate in locked.order_by("pk"):
            files |= certificate_files(certificate=certificate)
            if certificate.status == Certificate.Status.RENDERING:
                # Its worker read the name already: take the claim back.
                Certificate.objects.filter(pk=certificate.pk).update(
                    status=Certificate.Status.PENDING, claimed_at=None
                )
                transaction.on_commit(partial(queue_render, certificate.pk))
            if not certificate.facts and not certificate.pdf:
                continue  # never rendered: it renders from anonymised data
            if certificate.facts:
                certificate.facts = {**certificate.facts, **NAME_REMOVED}
            certificate.pdf = ""
            certificate.save(update_fields=["facts", "pdf"])
            record_event(
                certificate_id=certificate.pk, action="anonymised", detail=detail
            )
        credentials_erase(certificates=Certificate.objects.filter(pk__in=ids))
        files |= _zips_discard(certificate_ids=ids, now=now)
        for name in sorted(files):
            storage.delete(name)
    return len(files)


def _zips_discard(*, certificate_ids: list[int], now) -> set[str]:
    """Take the ZIPs of the certificates' cohorts out of use: a finished ZIP
    loses its file (returned, for deletion; the job says when it went), a
    ZIP being built loses its claim and is queued again."""
    cohorts: set[int] = set()
    for pair in Certificate.objects.filter(pk__in=certificate_ids).values_list(
        "enrolment__cohort_id", "attendee__session__cohort_id"
    ):
        cohorts |= {pk for pk in pair if pk is not None}
    files: set[str] = set()
    jobs = CertificateJob.objects.select_for_update().filter(
        kind=CertificateJob.Kind.ZIP, cohort_id__in=cohorts
    )
    for job in jobs.order_by("pk"):
        if job.file:
            files.add(job.file.name)
            job.file = ""
            job.file_removed_at = now
            job.save(update_fields=["file", "file_removed_at"])
        elif job.status == CertificateJob.Status.RUNNING:
            job.status = CertificateJob.Status.QUEUED
            job.claimed_at = None
            job.done = 0
            job.save(update_fields=["status", "claimed_at", "done"])
            transaction.on_commit(partial(queue_job, job.pk))
    return files


def certificate_events_scrub_address(*, certificates: QuerySet, address: str) -> None:
    """The history of sent emails names the address they went to."""
    CertificateEvent.objects.filter(
        certificate__in=certificates, action="emailed"
    ).update(detail=address)
