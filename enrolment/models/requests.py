"""Requests to join a course that enrols by staff approval."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentRequest(models.Model):
    """A participant's request to join a course whose enrolment mode is
    "approval"; staff approve it (the enrolment is created then) or refuse
    it. At most one pending request per user and course."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="enrolment_requests",
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
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
                condition=Q(status="pending"),
                name="enrolmentrequest_one_pending",
            )
        ]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("enrolment request")
        verbose_name_plural = _("enrolment requests")

    def __str__(self) -> str:
        return f"{self.user_id} asks for {self.course_id} ({self.status})"
