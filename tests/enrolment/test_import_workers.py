"""Participant imports with a real Celery worker process on Redis and
PostgreSQL: the job writes in chunks and every participant is mailed once,
also when the worker is stopped or killed mid-import and another takes over.
They skip locally without DATABASE_URL/REDIS_URL; CI runs them."""

from __future__ import annotations

import re
import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from enrolment.models import Enrolment, ImportJob, ImportRow
from enrolment.services.import_jobs import IMPORT_CHUNK, STALE_IMPORT, STALE_MAIL
from enrolment.services.imports import import_dry_run, import_start
from enrolment.tasks import sweep_imports

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

HEADER = "email,first name,last name,country,institution,cohort\n"
ROWS = IMPORT_CHUNK + 100  # two chunks


def wait_for(predicate, timeout: float = 120.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def csv_of(n: int, cohort) -> bytes:
    lines = [HEADER] + [
        f"w{i}@example.org,Айгерим{i},Токтогулова,KG,Ministry,{cohort.pk}\n"
        for i in range(n)
    ]
    return "".join(lines).encode()


def start_import(cohort, admin_user, n: int = ROWS) -> ImportJob:
    dry_run = import_dry_run(
        data=csv_of(n, cohort), default_cohort=None, actor=admin_user
    )
    assert dry_run.ok and dry_run.job is not None
    with transaction.atomic():  # the job is queued when this commits
        job = import_start(token=dry_run.job.token, actor=admin_user)
    assert job is not None
    return job


def mails_by_recipient(worker) -> Counter:
    counts: Counter = Counter()
    for text in worker.sent_mail():
        counts.update(re.findall(r"^To: (\S+)$", text, flags=re.MULTILINE))
    return counts


def mailed(job: ImportJob) -> int:
    return ImportRow.objects.filter(job=job, mailed_at__isnull=False).count()


def finished(job: ImportJob, n: int = ROWS) -> bool:
    job.refresh_from_db()
    return job.status == "done" and mailed(job) == n


def test_a_worker_imports_in_chunks_and_mails_each_participant_once(
    celery_worker, cohort, admin_user
):
    job = start_import(cohort, admin_user)
    wait_for(lambda: finished(job), what=f"the import\n{celery_worker.log()}")
    celery_worker.wait_idle()
    assert (job.done, job.skipped, job.cursor) == (ROWS, 0, ROWS + 1)
    assert Enrolment.objects.filter(cohort=cohort, source="import").count() == ROWS
    counts = mails_by_recipient(celery_worker)
    assert len(counts) == ROWS
    assert set(counts.values()) == {1}
    assert not job.file  # the upload is deleted


def restart_and_sweep(worker, job: ImportJob) -> None:
    """Start a new worker; pretend the stale times have passed, so that the
    sweep queues again the job and the mails the old worker left."""
    worker.start()
    past = timezone.now() - max(STALE_IMPORT, STALE_MAIL) - timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(created_at=past)
    ImportJob.objects.filter(pk=job.pk, claimed_at__isnull=False).update(
        claimed_at=past
    )
    ImportRow.objects.filter(job=job).update(created_at=past)
    ImportRow.objects.filter(job=job, mail_claimed_at__isnull=False).update(
        mail_claimed_at=past
    )
    sweep_imports.delay()


def test_a_worker_stopped_mid_import_leaves_every_participant_mailed_once(
    celery_worker, cohort, admin_user
):
    job = start_import(cohort, admin_user)
    wait_for(lambda: mailed(job) >= 1, what=f"the first mails\n{celery_worker.log()}")
    # A graceful restart: SIGTERM to the worker, which finishes its tasks.
    assert celery_worker.process is not None
    celery_worker.process.send_signal(signal.SIGTERM)
    celery_worker.process.wait(timeout=120)
    assert not finished(job), "the import ended before the stop: test nothing"

    restart_and_sweep(celery_worker, job)
    wait_for(lambda: finished(job), what=f"the import\n{celery_worker.log()}")
    celery_worker.wait_idle()
    counts = mails_by_recipient(celery_worker)
    assert len(counts) == ROWS
    assert set(counts.values()) == {1}
    assert Enrolment.objects.filter(cohort=cohort, source="import").count() == ROWS


def test_a_worker_killed_mid_import_leaves_every_participant_mailed(
    celery_worker, cohort, admin_user
):
    job = start_import(cohort, admin_user)
    wait_for(lambda: mailed(job) >= 1, what=f"the first mails\n{celery_worker.log()}")
    celery_worker.kill(signal.SIGKILL)
    assert not finished(job), "the import ended before the kill: test nothing"
    # A mail claimed and not marked sent may or may not have gone out before
    # the kill: nothing can tell (SMTP has no way to ask). Only those, at most
    # one per pool process, may go out twice; every other one exactly once.
    in_doubt = set(
        ImportRow.objects.filter(
            job=job, mail_claimed_at__isnull=False, mailed_at__isnull=True
        ).values_list("user__email", flat=True)
    )
    assert len(in_doubt) <= celery_worker.concurrency

    restart_and_sweep(celery_worker, job)
    wait_for(lambda: finished(job), what=f"the import\n{celery_worker.log()}")
    celery_worker.wait_idle()
    counts = mails_by_recipient(celery_worker)
    assert len(counts) == ROWS
    assert {n for email, n in counts.items() if email not in in_doubt} == {1}
    assert all(counts[email] <= 2 for email in in_doubt)
    assert Enrolment.objects.filter(cohort=cohort, source="import").count() == ROWS
    job.refresh_from_db()
    assert (job.done, job.skipped) == (ROWS, 0)
