from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def private_storage():
    return storages["private"]


class Certificate(models.Model):
    """A certificate record. Facts are frozen when it is issued; revoking
    changes the status and deletes nothing; the code never changes."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course completion")
        ATTENDANCE = "attendance", _("Attendance")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RENDERING = "rendering", _("Rendering")
        ISSUED = "issued", _("Issued")
        REVOKED = "revoked", _("Revoked")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COURSE)
    enrolment = models.OneToOneField(
        "enrolment.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    attendee = models.OneToOneField(
        "cascades.SessionAttendee",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificate",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    code = models.CharField(max_length=32, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    facts = models.JSONField(default=dict, blank=True)
    pdf = models.FileField(
        storage=private_storage, upload_to="certificates/", blank=True
    )
    sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Who holds the render claim: the Celery task id of the delivery that
    # claimed it, and its process ("host:pid"). When that delivery comes back
    # (its worker was lost), it takes its own dead claim over at once instead
    # of waiting STALE_RENDER (services/render.py).
    claim_delivery = models.CharField(max_length=255, blank=True)
    claimed_by = models.CharField(max_length=255, blank=True)
    issued_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # The email is claimed (email_claimed_at) before it is sent and marked
    # sent (emailed_at) after: a worker that dies in between leaves a claim
    # that goes stale, and the sweep queues the email again.
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="course", enrolment__isnull=False, attendee__isnull=True)
                    | Q(
                        kind="attendance",
                        enrolment__isnull=True,
                        attendee__isnull=False,
                    )
                ),
                name="certificate_one_subject",
            )
        ]
        indexes = [models.Index(fields=["status", "claimed_at"])]

    def __str__(self) -> str:
        return self.code


class CertificateEvent(models.Model):
    """History of a certificate: issued, revoked, reissued, emailed,
    anonymised. It keeps each version's file name and SHA-256, never the file:
    a reissue deletes the previous PDF once it commits."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=32)
    detail = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pdf_name = models.CharField(max_length=255, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.action}"


class CertificateJob(models.Model):
    """A long admin job run by Celery in chunks: regenerate every certificate
    of a course, or build a ZIP of a cohort's certificates. Progress is
    stored here so that the admin page can show it."""

    class Kind(models.TextChoices):
        REGENERATE = "regenerate", _("Regenerate a course's certificates")
        ZIP = "zip", _("ZIP of a cohort's certificates")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    course = models.ForeignKey(
        "courses.CoursePage",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    cohort = models.ForeignKey(
        "enrolment.Cohort",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    # Last certificate id handled: a chunk delivered twice skips what is done.
    cursor = models.BigIntegerField(default=0)
    # When a run claimed the job (None between runs): a second delivery finds
    # a fresh claim and does nothing; a claim older than STALE_JOB is a dead
    # worker's and may be taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(
        storage=private_storage, upload_to="certificates/zips/", blank=True
    )
    error = models.TextField(blank=True)
    # Set when the ZIP was deleted because a certificate in it had to lose
    # its holder's name (they deleted their account); `file` is then empty.
    file_removed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Not a column: set once the service tried to publish the job's task,
    # False if the broker refused it (the sweep queues it later).
    queued: bool | None = None

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0


class Credential(models.Model):
    """The signed Open Badges 3.0 credential issued beside a certificate's
    PDF (certificates/credentials/). Frozen like the PDF: the JWT is stored
    as signed. A reissue issues a new one and marks this one superseded.
    Its primary key is its place in the public status list, whose bit says
    revoked (the certificate revoked, or this credential superseded)."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="credentials"
    )
    uid = models.UUIDField(unique=True, editable=False)
    jwt = models.TextField(blank=True)  # emptied when the holder's name is erased
    sha256 = models.CharField(max_length=64, blank=True)
    kid = models.CharField(max_length=100, blank=True)
    issued_at = models.DateTimeField()
    superseded_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["certificate_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                "certificate",
                condition=Q(superseded_at__isnull=True),
                name="credential_one_current_per_certificate",
            )
        ]

    def __str__(self) -> str:
        return f"urn:uuid:{self.uid}"
