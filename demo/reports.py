"""Demo: the public impact page at /en/impact/ and /fr/impact/ (idempotent)."""

from __future__ import annotations

from wagtail.models import Locale

from home.models import HomePage
from reports.models import ImpactPage

TEXT = {
    "en": (
        "Our impact",
        "<p>Who took part, where, and how far the training travelled as trained "
        "trainers passed it on.</p>",
    ),
    "fr": (
        "Notre impact",
        "<p>Qui a participé, où, et jusqu'où la formation est allée quand les "
        "formateurs formés ont passé le relais.</p>",
    ),
}


def impact_page_ensure(*, language: str) -> ImpactPage | None:
    locale = Locale.objects.filter(language_code=language).first()
    home = HomePage.objects.filter(locale=locale).first() if locale else None
    if home is None:
        return None
    existing = ImpactPage.objects.child_of(home).first()
    if existing is not None:
        return existing
    title, intro = TEXT[language]
    en_page = None
    if language != "en":
        en_page = ImpactPage.objects.filter(locale__language_code="en").first()
    if en_page is not None:
        page = en_page.copy_for_translation(locale)
        page.title, page.intro = title, intro
    else:
        page = ImpactPage(title=title, slug="impact", intro=intro, locale=locale)
        home.add_child(instance=page)
    page.save_revision().publish()
    return page


def load(*, stdout, debug: bool) -> None:
    for language in ("en", "fr"):
        impact_page_ensure(language=language)
    stdout.write("Impact page ready at /en/impact/ and /fr/impact/.")
