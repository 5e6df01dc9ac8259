"""Participant CSV imports: the job and its rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .enrolments import Cohort, Enrolment


def _private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class ImportJob(models.Model):
    """A participant CSV import: a dry run (DRAFT), then, once staff confirm,
    a Celery job that writes it in chunks (docs/enrolment.md). The uploaded
    file (personal data) is kept only until the job ends, or a day for a dry
    run nobody confirmed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dry run")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    file = models.FileField(
        storage=_private_storage, upload_to="enrolment-imports/", blank=True
    )
    # Carried by the dry run's commit button: with the session, it proves the
    # confirmation comes from the person who saw the dry run.
    token = models.CharField(max_length=64, unique=True)
    default_cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # Last line of the file handled: a chunk delivered twice skips what is done.
    cursor = models.PositiveIntegerField(default=0)
    # When a run claimed the job (None between runs); a claim older than
    # STALE_IMPORT belongs to a dead worker and may be taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.status})"


class ImportRow(models.Model):
    """One line of an import job: the participant it enrolled and whether
    their welcome mail went out (claimed, then marked sent, like a
    certificate's email), or why the line was skipped or refused. `email` only
    for a skipped or refused row: an enrolled row's address is its user's."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows")
    line = models.PositiveIntegerField()
    email = models.CharField(max_length=254, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    enrolment = models.ForeignKey(
        Enrolment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_user = models.BooleanField(default=False)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    mail_claimed_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["job", "line"]
        constraints = [
            models.UniqueConstraint(fields=["job", "line"], name="import_row_unique")
        ]
        indexes = [
            # the sweep: enrolled rows whose mail is not marked sent
            models.Index(
                fields=["created_at"],
                name="import_row_unmailed_idx",
                condition=Q(mailed_at__isnull=True, enrolment__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.job_id}:{self.line}"
