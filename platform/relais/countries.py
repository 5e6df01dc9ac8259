"""Country choices for forms, named and sorted in the reader's language.

`list(countries)` in a field's definition runs once, at import, in the
language active then (English): every form listed 250 English names in
every language. A callable is run by Django each time the form renders or
validates, in the request's language; django-countries caches the sorted
list per language and sorts it with the Unicode collation algorithm
(`pyuca`, a dependency for that reason), so "Égypte" sorts with E and the
Cyrillic and Arabic names in their alphabets' order."""

from __future__ import annotations

from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    """A blank choice, then every country in the active language's order."""
    return [("", "—"), *((code, name) for code, name in countries)]
