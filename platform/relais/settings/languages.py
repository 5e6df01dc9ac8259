"""Languages, formats and time zone, read by base.py: the six interface
languages (docs/languages.md), the Wagtail locales that follow them, and
how wagtail-localize saves a translation."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parents[3]

__all__ = [
    "LANGUAGE_CODE",
    "LANGUAGES",
    "LANGUAGE_NAMES_EN",
    "LOCALE_PATHS",
    "FORMAT_MODULE_PATH",
    "TIME_ZONE",
    "USE_I18N",
    "USE_TZ",
    "WAGTAIL_I18N_ENABLED",
    "WAGTAIL_CONTENT_LANGUAGES",
    "WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE",
    "LANGUAGE_COOKIE_NAME",
    "LANGUAGE_COOKIE_AGE",
    "LANGUAGE_COOKIE_SAMESITE",
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("fr", "Français"),
    ("es", "Español"),
    ("pt", "Português"),
    ("ru", "Русский"),
    ("ar", "العربية"),
]
LANGUAGE_NAMES_EN = {
    "en": _("English"),
    "fr": _("French"),
    "es": _("Spanish"),
    "pt": _("Portuguese"),
    "ru": _("Russian"),
    "ar": _("Arabic"),
}
LOCALE_PATHS = [BASE_DIR / "locale"]
# Our additions to Django's per-language formats (relais/formats/<lang>/).
FORMAT_MODULE_PATH = ["relais.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" saves the translations as drafts instead of publishing
# them at once with the source language's text in every untranslated field:
# an editor publishes each one when it is translated. Until then a reader sees
# the page it replaces (the alias, in the source language, with its notice;
# docs/languages.md).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
LANGUAGE_COOKIE_NAME = "relais_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
