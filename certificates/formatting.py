"""How a certificate's date, hours and country read in a language: one
module for the PDF, the certificate email and the public verification page,
so that the three say the same ("1 décembre 2026", "1,5", "Ouganda").

Values come from the frozen facts (an ISO date, hours as a decimal string,
an ISO country code); each function activates the language it is given
(the renderer runs in a Celery worker, the email in the recipient's
language, the page in the visitor's)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation
from django_countries import countries


def format_date(value: str | dt.date | None, language: str) -> str:
    """The date in the language's DATE_FORMAT ("1 décembre 2026")."""
    if not value:
        return ""
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value[:10])
    with translation.override(language):
        return formats.date_format(day, "DATE_FORMAT")


def format_hours(value, language: str) -> str:
    """Hours without trailing zeros, with the language's decimal separator
    ("12", "1.5", "1,5" in French)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    with translation.override(language):
        return formats.number_format(number, use_l10n=True)


def country_name(code: str | None, language: str) -> str:
    """The country's name in the language (django-countries)."""
    if not code:
        return ""
    with translation.override(language):
        return str(countries.name(code) or code)


def certificate_details(facts: dict, language: str) -> dict[str, str]:
    """The formatted date, hours and country of a certificate's facts."""
    return {
        "date": format_date(facts.get("date"), language),
        "hours": format_hours(facts.get("hours"), language),
        "country": country_name(facts.get("country"), language),
    }
