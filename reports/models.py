from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


def private_storage():
    return storages["private"]


class ExportJob(models.Model):
    """A large export, built by a Celery task into the private storage and
    offered to its requester when ready."""

    class Kind(models.TextChoices):
        ENROLMENTS = "enrolments", _("Enrolments report")
        COMPLETION = "completion", _("Completion report")
        CERTIFICATES = "certificates", _("Certificates report")
        CASCADES = "cascades", _("Cascades report")
        CASCADE_MONTHS = "cascade_months", _("Cascade reach over time")
        ENROLMENT_LIST = "enrolment_list", _("Enrolment list")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports"
    )
    kind = models.CharField(max_length=32, choices=Kind.choices)
    format = models.CharField(max_length=8, choices=Format.choices)
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    file = models.FileField(storage=private_storage, upload_to="exports/", blank=True)
    row_count = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    # Not a column: set once the service tried to publish the build, False
    # if the broker refused it (the sweep queues it later).
    queued: bool | None = None

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("view_reports", _("Can view programme reports"))]
        indexes = [models.Index(fields=["requested_by", "status"])]

    def __str__(self) -> str:
        return f"{self.kind}.{self.format} ({self.status})"

    @property
    def filename(self) -> str:
        return f"relais-{self.kind}-{self.pk}.{self.format}"


class ImpactPage(Page):
    """The public impact page: headline numbers from the report selectors."""

    intro = RichTextField(_("intro"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1
    template = "reports/impact_page.html"

    class Meta:
        verbose_name = _("impact page")

    def get_context(self, request, *args, **kwargs):
        from .selectors import impact_numbers_cached

        context = super().get_context(request, *args, **kwargs)
        context["numbers"] = impact_numbers_cached(language=self.locale.language_code)
        return context
