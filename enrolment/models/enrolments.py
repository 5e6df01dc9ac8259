"""Cohorts, enrolments, their history and progress, and invitations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class Cohort(models.Model):
    """One delivery of a course. Cohorts linked by `parent` form the cascade
    tree: the parent is the cohort in which the trainer was trained."""

    class Mode(models.TextChoices):
        ONLINE = "online", _("Online")
        IN_PERSON = "in_person", _("In person")
        BLENDED = "blended", _("Blended")

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="cohorts",
        verbose_name=_("course"),
    )
    name = models.CharField(_("name"), max_length=200)
    country = CountryField(_("country"), blank=True, db_index=True)
    institution = models.CharField(_("partner institution"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    mode = models.CharField(
        _("delivery mode"), max_length=16, choices=Mode.choices, default=Mode.ONLINE
    )
    enrolment_key = models.CharField(
        _("enrolment key"),
        max_length=64,
        blank=True,
        help_text=_(
            "Optional. Participants who know it can join; case does not matter."
        ),
    )
    capacity = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohorts_trained",
        verbose_name=_("trainer"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent cohort"),
        help_text=_("The cohort in which this cohort's trainer was trained."),
    )
    # Where the cohort sits in its cascade, written by the cascades services
    # that open and move cohorts (docs/cascades.md): `generation` 1 for a root,
    # `root` the cohort at the top (itself for a root), and `path` the ids from
    # the root down to the cohort ("12/40/41/"), so that a cohort's cascade is
    # `path__startswith=its path` (an indexed prefix look-up).
    generation = models.PositiveSmallIntegerField(
        _("generation"), default=1, editable=False
    )
    root = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        editable=False,
    )
    path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.UniqueConstraint(
                Lower("enrolment_key"),
                name="cohort_unique_key",
                condition=~Q(enrolment_key=""),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="cohort_not_own_parent"
            ),
        ]
        indexes = [models.Index(fields=["course", "country"])]

    def __str__(self) -> str:
        return self.name


class Enrolment(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        KEY = "key", _("Enrolment key")
        IMPORT = "import", _("Imported")
        INVITATION = "invitation", _("Invitation")
        ADMIN = "admin", _("Enrolled by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="enrolments"
    )
    cohort = models.ForeignKey(
        Cohort,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enrolments",
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.ACTIVE
    )
    source = models.CharField(
        max_length=16, choices=Source.choices, default=Source.SELF
    )
    enrolled_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The lesson with progress that comes last in the course's tree order:
    # the module drop-off report groups enrolments by it instead of scanning
    # every progress row (docs/reports.md has the figures). `lesson_complete`
    # keeps it in the same transaction as the progress row; whatever writes
    # progress in bulk (demo, scale data) calls
    # `enrolment.services.progress.furthest_lesson_refresh`, and a page move
    # or lesson deleted queues it (`enrolment.tasks`) for after the commit.
    # No index: nothing looks enrolments up by it (a deleted lesson's SET NULL
    # scans once), and lesson_complete's update stays cheap.
    furthest_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], name="enrolment_unique_user_course"
            )
        ]
        indexes = [
            models.Index(fields=["course", "status"]),
            models.Index(fields=["cohort", "status"]),
            models.Index(fields=["status", "enrolled_at"]),
        ]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")

    def __str__(self) -> str:
        return f"{self.user_id} in {self.course_id} ({self.status})"


class EnrolmentEvent(models.Model):
    """History: every status change and cohort move, with its time."""

    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(max_length=16, choices=Enrolment.Status.choices)
    cohort = models.ForeignKey(Cohort, null=True, blank=True, on_delete=models.SET_NULL)
    note = models.CharField(max_length=200, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.status}"


class LessonProgress(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="progress"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    quiz_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "lesson"], name="progress_unique_enrolment_lesson"
            )
        ]
        verbose_name_plural = _("lesson progress")

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.lesson_id}"


class Invitation(models.Model):
    """An invitation by email to join a cohort. The link carries the token."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accepted_invitations",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "cohort", name="invitation_unique_email_cohort"
            )
        ]
        indexes = [
            models.Index(Lower("email"), name="invitation_email_idx"),
            # A trainer's invitations of the last 24 hours (their daily limit).
            models.Index(
                fields=["invited_by", "created_at"], name="invitation_sender_day_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} -> {self.cohort_id}"
