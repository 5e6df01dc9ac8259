"""The interface languages as their speakers name them, and the alternate
language versions of a Wagtail page for the page's <head>.

Django's `{% get_available_languages %}` passes each name in
`settings.LANGUAGES` through gettext, so a French page offered "Anglais"
where a reader of English looks for "English". The switcher names every
language in itself (the names in `settings.LANGUAGES`), marked with its own
`lang` and `dir`, so screen readers pronounce it and Arabic reads right to
left inside a left-to-right page."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_info
from wagtail.models import Page

register = template.Library()


@dataclass(frozen=True)
class InterfaceLanguage:
    code: str
    name: str
    dir: str


@dataclass(frozen=True)
class Alternate:
    hreflang: str
    url: str


@register.simple_tag
def interface_languages() -> list[InterfaceLanguage]:
    """Every interface language, in the order of settings, named in itself."""
    return [
        InterfaceLanguage(
            code=code,
            name=name,
            dir="rtl" if get_language_info(code)["bidi"] else "ltr",
        )
        for code, name in settings.LANGUAGES
    ]


@register.simple_tag(takes_context=True)
def page_alternates(context: template.Context, page: Page) -> list[Alternate]:
    """The live translations of `page` (itself included) as hreflang
    alternates with absolute URLs, plus `x-default` for the default
    language's version; nothing when the page exists in one language only.

    Aliases are left out: an alias serves the source page's text under
    another language's prefix, so it is not content in that language.
    The links depend on the page alone, never on the visitor, so a page
    that carries them stays cacheable for anonymous visitors."""
    if not isinstance(page, Page) or not page.pk:
        return []  # a paginator's page, or a preview of an unsaved page
    request: HttpRequest | None = context.get("request")
    translations = (
        page.get_translations(inclusive=True)
        .live()
        .filter(alias_of__isnull=True)
        .select_related("locale")
    )
    languages = dict(settings.LANGUAGES)
    alternates = []
    default_url = None
    for translation in translations:
        code = translation.locale.language_code
        url = translation.get_full_url(request)
        if code not in languages or not url:
            continue
        alternates.append(Alternate(hreflang=code, url=url))
        if code == settings.LANGUAGE_CODE:
            default_url = url
    if len(alternates) < 2:
        return []
    order = list(languages)
    alternates.sort(key=lambda alternate: order.index(alternate.hreflang))
    if default_url:
        alternates.append(Alternate(hreflang="x-default", url=default_url))
    return alternates
