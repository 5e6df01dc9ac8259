"""Resources library: case studies and knowledge sheets, grouped by theme.

The `ResourcePage` type name, its `kind` and `summary` fields are a contract:
lessons cite resources through a PageChooserBlock(page_type="resources.ResourcePage")
and render `.title`, `.url`, `.specific.kind`, `.get_kind_display` and `.summary`.
This app never imports `courses`: a resource finds the lessons that cite it
through Wagtail's reference index (see `selectors.resource_citations`)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index

from .admin_forms import ResourcePageForm

RICH_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link", "document-link"]


class Theme(TranslatableMixin, models.Model):
    """A managed list (snippet), translated like pages: each language has its
    own row, linked by `translation_key`."""

    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    panels = [FieldPanel("name"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ASIA = "asia", _("Asia")
    LATIN_AMERICA_CARIBBEAN = (
        "latin_america_caribbean",
        _("Latin America and the Caribbean"),
    )
    EUROPE_NEIGHBOURHOOD = "europe_neighbourhood", _("Europe and EU neighbourhood")
    MIDDLE_EAST = "middle_east", _("Middle East")
    PACIFIC = "pacific", _("Pacific")
    GLOBAL = "global", _("Global / several regions")


class ResourceIndexPage(Page):
    intro = RichTextField(_("intro"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count_per_parent = 1
    template = "resources/resource_index_page.html"

    class Meta:
        verbose_name = _("resources library")

    def get_context(self, request, *args, **kwargs):
        from .selectors import resource_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_listing(locale=self.locale, params=request.GET))
        return context


# The fields each kind must fill (model clean() and the editor's panels).
CASE_STUDY_FIELDS = ("challenge", "what_was_done", "results", "lessons_learned")
KNOWLEDGE_SHEET_FIELDS = ("practice", "origin", "adaptation")


class ResourcePage(Page):
    class Kind(models.TextChoices):
        CASE_STUDY = "case_study", _("Case study")
        KNOWLEDGE_SHEET = "knowledge_sheet", _("Knowledge sheet")

    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.CASE_STUDY
    )
    summary = models.TextField(_("summary"), max_length=800, blank=True)
    themes = ParentalManyToManyField(
        "resources.Theme",
        blank=True,
        related_name="resources",
        verbose_name=_("themes"),
    )
    country = CountryField(_("countries"), multiple=True, blank=True)
    region = models.CharField(
        _("region"), max_length=32, choices=Region.choices, blank=True
    )
    start_year = models.PositiveSmallIntegerField(
        _("from (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    end_year = models.PositiveSmallIntegerField(
        _("to (year)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950), MaxValueValidator(2100)],
    )
    partner_institutions = models.TextField(
        _("partner institutions"), blank=True, help_text=_("One per line.")
    )

    # Case study
    challenge = RichTextField(_("the challenge"), blank=True, features=RICH_FEATURES)
    what_was_done = RichTextField(
        _("what was done"), blank=True, features=RICH_FEATURES
    )
    results = RichTextField(_("results"), blank=True, features=RICH_FEATURES)
    lessons_learned = RichTextField(
        _("lessons learned"), blank=True, features=RICH_FEATURES
    )

    # Knowledge sheet
    practice = RichTextField(_("the practice"), blank=True, features=RICH_FEATURES)
    origin = RichTextField(_("where it comes from"), blank=True, features=RICH_FEATURES)
    adaptation = RichTextField(_("how to adapt it"), blank=True, features=RICH_FEATURES)
    further_reading = RichTextField(
        _("further reading"), blank=True, features=RICH_FEATURES
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("region"),
                FieldPanel("country"),
                FieldRowPanel([FieldPanel("start_year"), FieldPanel("end_year")]),
                FieldPanel("partner_institutions"),
            ],
            heading=_("Where, when, with whom"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in CASE_STUDY_FIELDS],
            heading=_("Case study (fill these when the kind is “Case study”)"),
        ),
        MultiFieldPanel(
            [FieldPanel(name) for name in (*KNOWLEDGE_SHEET_FIELDS, "further_reading")],
            heading=_(
                "Knowledge sheet (fill these when the kind is “Knowledge sheet”)"
            ),
        ),
        InlinePanel("documents", label=_("Documents (PDF)")),
    ]
    parent_page_types = ["resources.ResourceIndexPage"]
    subpage_types: list[str] = []
    template = "resources/resource_page.html"

    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=1.5),
        index.SearchField("partner_institutions"),
        index.SearchField("challenge"),
        index.SearchField("what_was_done"),
        index.SearchField("results"),
        index.SearchField("lessons_learned"),
        index.SearchField("practice"),
        index.SearchField("origin"),
        index.SearchField("adaptation"),
        index.RelatedFields("themes", [index.SearchField("name")]),
        index.FilterField("kind"),
        index.FilterField("region"),
    ]

    # Themes of the resource's language only; required fields marked.
    base_form_class = ResourcePageForm

    class Meta:
        verbose_name = _("resource")

    def clean(self):
        super().clean()
        errors = {}
        required = (
            CASE_STUDY_FIELDS
            if self.kind == self.Kind.CASE_STUDY
            else KNOWLEDGE_SHEET_FIELDS
        )
        for name in required:
            if not _has_text(getattr(self, name)):
                errors[name] = _("Required for a %(kind)s.") % {
                    "kind": self.get_kind_display().lower()
                }
        if self.start_year and self.end_year and self.end_year < self.start_year:
            errors["end_year"] = _("The end year cannot be before the start year.")
        if errors:
            raise ValidationError(errors)

    @property
    def years(self) -> str:
        if self.start_year and self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year or self.end_year or "")

    @property
    def partner_list(self) -> list[str]:
        return [
            line.strip()
            for line in self.partner_institutions.splitlines()
            if line.strip()
        ]

    def get_context(self, request, *args, **kwargs):
        from .selectors import resource_detail

        context = super().get_context(request, *args, **kwargs)
        context.update(resource_detail(page=self))
        return context


def _has_text(html: str) -> bool:
    from django.utils.html import strip_tags

    return bool(strip_tags(html or "").strip())


class ResourceDocument(Orderable):
    """A downloadable document (PDF) attached to a resource."""

    page = ParentalKey(ResourcePage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("document"),
    )
    title = models.CharField(
        _("link text"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use the document's title."),
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document")

    @property
    def label(self) -> str:
        return self.title or self.document.title
