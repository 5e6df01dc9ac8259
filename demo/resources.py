"""Demo resources: the library index in every language, the themes in every
language, and nine resources in English with their French translations.

Idempotent: rows are found again by slug (pages) or English name (themes);
what exists is left untouched, so a second run changes nothing. Runs before
`courses.demo`, which links lessons to some of these slugs."""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.models import Locale

from home.models import HomePage
from resources.models import ResourceDocument, ResourceIndexPage, ResourcePage, Theme

from .demo_content_resources import INDEX_TITLES, RESOURCES, THEMES

TRANSLATED_FIELDS = (
    "title",
    "summary",
    "challenge",
    "what_was_done",
    "results",
    "lessons_learned",
    "practice",
    "origin",
    "adaptation",
    "further_reading",
)


@transaction.atomic
def load(*, stdout, debug: bool) -> None:
    locales = {
        code: Locale.objects.get(language_code=code) for code, _ in settings.LANGUAGES
    }
    indexes = ensure_indexes(locales)
    themes = ensure_themes(locales)
    created = 0
    for spec in RESOURCES:
        created += ensure_resource(
            spec, indexes=indexes, themes=themes, locales=locales
        )
    stdout.write(
        f"Resources: {len(RESOURCES)} in the library ({created} pages created), "
        f"{len(THEMES)} themes in {len(locales)} languages."
    )


def ensure_indexes(locales: dict[str, Locale]) -> dict[str, ResourceIndexPage]:
    home = HomePage.objects.get(locale=locales["en"])
    index = ResourceIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = INDEX_TITLES["en"]
        index = ResourceIndexPage(
            title=title, slug="resources", intro=f"<p>{intro}</p>", locale=locales["en"]
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    indexes = {"en": index}
    for code, locale in locales.items():
        if code == "en":
            continue
        translation = index.get_translation_or_none(locale)
        if translation is None:
            translation = index.copy_for_translation(locale)
            title, intro = INDEX_TITLES.get(code, INDEX_TITLES["en"])
            translation.title = title
            translation.intro = f"<p>{intro}</p>"
            translation.save_revision().publish()
        indexes[code] = translation
    return indexes


def ensure_themes(locales: dict[str, Locale]) -> dict[str, dict[str, Theme]]:
    """Themes by English name, then by language code."""
    result: dict[str, dict[str, Theme]] = {}
    for order, names in enumerate(THEMES):
        theme = Theme.objects.filter(locale=locales["en"], name=names["en"]).first()
        if theme is None:
            theme = Theme.objects.create(
                name=names["en"], sort_order=order, locale=locales["en"]
            )
        result[names["en"]] = {"en": theme}
        for code, locale in locales.items():
            if code == "en":
                continue
            translation = theme.get_translation_or_none(locale)
            if translation is None:
                translation = theme.copy_for_translation(locale)
                translation.name = names.get(code, names["en"])
                translation.save()
            result[names["en"]][code] = translation
    return result


def ensure_resource(spec: dict, *, indexes, themes, locales) -> int:
    """Create the English page and its French translation if missing.
    Returns the number of pages created."""
    created = 0
    page = (
        ResourcePage.objects.child_of(indexes["en"]).filter(slug=spec["slug"]).first()
    )
    if page is None:
        start, end = spec["years"] or (None, None)
        page = ResourcePage(
            slug=spec["slug"],
            kind=spec["kind"],
            country=spec["country"],
            region=spec["region"],
            start_year=start,
            end_year=end,
            partner_institutions=spec["partners"],
            locale=locales["en"],
            **{name: spec["en"].get(name, "") for name in TRANSLATED_FIELDS},
        )
        page.themes = [themes[name]["en"] for name in spec["themes"]]
        if spec.get("pdf"):
            page.documents = [
                ResourceDocument(document=_demo_pdf(spec["slug"], spec["en"]))
            ]
        indexes["en"].add_child(instance=page)
        page.save_revision().publish()
        created += 1
    if "fr" in spec and not page.has_translation(locales["fr"]):
        translation = page.copy_for_translation(locales["fr"])
        for name in TRANSLATED_FIELDS:
            setattr(translation, name, spec["fr"].get(name, ""))
        translation.themes = [themes[name]["fr"] for name in spec["themes"]]
        translation.save_revision().publish()
        created += 1
    return created


def _demo_pdf(slug: str, text: dict):
    """A one-page PDF summary, generated with ReportLab (only when the page is
    first created, so a second run adds no document)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    styles = getSampleStyleSheet()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=text["title"], author="Relais")
    doc.build(
        [
            Paragraph(text["title"], styles["Title"]),
            Spacer(1, 12),
            Paragraph(text["summary"], styles["BodyText"]),
            Spacer(1, 12),
            Paragraph("Relais resources library — summary sheet.", styles["Italic"]),
        ]
    )
    data = buffer.getvalue()
    Document = get_document_model()
    document = Document(title=f"{text['title']} (PDF summary)")
    document.file.save(f"{slug}.pdf", ContentFile(data), save=False)
    document.file_size = len(data)
    document.save()
    return document
