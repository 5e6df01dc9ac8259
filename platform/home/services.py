from __future__ import annotations

from django.conf import settings
from django.db import transaction
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage

HOME_TEXT = {
    "en": (
        "Relais",
        "Learning for migration governance, passed on from trainer to trainer.",
    ),
    "fr": ("Relais", "Se former à la gouvernance des migrations, et passer le relais."),
    "es": (
        "Relais",
        "Formación en gobernanza migratoria, transmitida de formador a formador.",
    ),
    "pt": (
        "Relais",
        "Formação em governança migratória, passada de formador a formador.",
    ),
    "ru": ("Relais", "Обучение в сфере управления миграцией — от тренера к тренеру."),
    "ar": ("Relais", "التدريب في مجال حوكمة الهجرة، من مدرّب إلى مدرّب."),
}


def locales_ensure() -> dict[str, Locale]:
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.LANGUAGES
    }


@transaction.atomic
def site_ensure() -> Site:
    locales = locales_ensure()
    root = Page.get_first_root_node()
    if root is None:
        # Wagtail's migration creates the root; a flushed database (transactional
        # tests, a restored dump without pages) may not have it.
        root = Page.add_root(
            instance=Page(title="Root", slug="root", locale=locales["en"], live=True)
        )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    home = HomePage.objects.filter(locale=locales["en"]).first()
    if home is None:
        # Wagtail's initial migration leaves a placeholder "Welcome" page (and a
        # site pointing at it); it gives way to the real home page.
        for page in root.get_children():
            if page.specific_class is not HomePage:
                page.delete()
        title, intro = HOME_TEXT["en"]
        home = HomePage(title=title, slug="home", intro=intro, locale=locales["en"])
        root.add_child(instance=home)
        home.save_revision().publish()
    for code, locale in locales.items():
        if code == "en" or home.has_translation(locale):
            continue
        translation = home.copy_for_translation(locale)
        title, intro = HOME_TEXT.get(code, HOME_TEXT["en"])
        translation.title, translation.intro = title, intro
        translation.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Relais",
        )
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.site_name = "Relais"
        site.save()
    return site
