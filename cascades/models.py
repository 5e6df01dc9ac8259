from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TrainerQualification(models.Model):
    """A person's right to deliver a course as a trainer: earned by completing
    a train-the-trainer course that qualifies for it, or granted by staff."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="qualifications",
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="qualified_trainers",
        verbose_name=_("course they may deliver"),
    )
    qualifying_enrolment = models.ForeignKey(
        "enrolment.Enrolment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="qualifications",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"],
                condition=Q(withdrawn_at__isnull=True),
                name="qualification_unique_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may deliver {self.course_id}"


class TrainingSession(models.Model):
    """An in-person session a trainer delivered inside a cohort."""

    cohort = models.ForeignKey(
        "enrolment.Cohort", on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    duration_hours = models.DecimalField(
        _("duration (hours)"), max_digits=5, decimal_places=1
    )
    participants_women = models.PositiveIntegerField(_("women"), default=0)
    participants_men = models.PositiveIntegerField(_("men"), default=0)
    participants_other = models.PositiveIntegerField(
        _("other or not stated"), default=0
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Check-in from attendees' phones: the short code is in the QR code and
    # typed by hand, so it is kept after closing (the page then says closed).
    checkin_code = models.CharField(
        _("check-in code"), max_length=12, unique=True, null=True, blank=True
    )
    checkin_opened_at = models.DateTimeField(null=True, blank=True)
    checkin_closed_at = models.DateTimeField(null=True, blank=True)
    # The trainer reviewed the attendee list and confirmed it.
    attendees_confirmed_at = models.DateTimeField(null=True, blank=True)
    attendees_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Not stored: set by services.session_record, the attendees' addresses it
    # did not invite because the trainer's daily limit was reached.
    not_invited: list[str]

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.place} ({self.held_on})"

    @property
    def participants_total(self) -> int:
        return self.participants_women + self.participants_men + self.participants_other


class SessionAttendee(models.Model):
    class Gender(models.TextChoices):
        WOMAN = "woman", _("Woman")
        MAN = "man", _("Man")
        OTHER = "other", _("Other")
        NOT_SAID = "not_said", _("Prefer not to say")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendees"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    # Empty when not asked (typed in by the trainer).
    gender = models.CharField(
        _("gender"), max_length=10, choices=Gender.choices, blank=True
    )
    # Set when the attendee checked in on their phone (and agreed to be
    # listed); empty for attendees the trainer typed in.
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "session",
                Lower("email"),
                condition=~Q(email=""),
                name="attendee_unique_email_per_session",
            )
        ]

    def __str__(self) -> str:
        return self.name
