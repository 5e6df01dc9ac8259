"""Resources library (skeleton: the resources issue fills it in). The
`ResourcePage` type name is a contract: lessons cite resources through a
PageChooserBlock(page_type="resources.ResourcePage")."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class ResourceIndexPage(Page):
    intro = RichTextField(_("intro"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("resources library")


class ResourcePage(Page):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Case study")
        KNOWLEDGE_SHEET = "knowledge_sheet", _("Knowledge sheet")

    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.CASE_STUDY
    )
    summary = models.TextField(_("summary"), max_length=800, blank=True)

    content_panels = Page.content_panels + [FieldPanel("kind"), FieldPanel("summary")]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource")
