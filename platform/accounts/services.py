from __future__ import annotations

from django.conf import settings

from .models import User


def user_set_language(*, user: User, language: str) -> User:
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def translated_url(*, path: str, language: str, page_id: str | None) -> str | None:
    """The URL of a Wagtail page's translation in `language`, if it exists."""
    if not page_id or not str(page_id).isdigit():
        return None
    from wagtail.models import Locale, Page

    try:
        page = Page.objects.get(pk=int(page_id))
        locale = Locale.objects.get(language_code=language)
    except (Page.DoesNotExist, Locale.DoesNotExist):
        return None
    translation = page.get_translation_or_none(locale)
    if translation is None or not translation.live:
        return None
    return translation.get_url()
