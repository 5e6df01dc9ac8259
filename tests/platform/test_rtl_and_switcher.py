"""Arabic pages read right to left, every other language left to right; the
language switcher names each language in itself; translated Wagtail pages
list their translations as hreflang alternates; Arabic dates use Arabic
month names."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from wagtail.models import Locale

from relais import page_cache
from tests.factories import home_page, make_course, make_enrolment


class _Tags(HTMLParser):
    """Start tags with their attributes, and the text of each <button>."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.buttons: list[tuple[dict[str, str | None], str]] = []
        self._button: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "button":
            self._button, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._button is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "button" and self._button is not None:
            self.buttons.append((self._button, "".join(self._text).strip()))
            self._button = None


def parse(response) -> _Tags:
    assert response.status_code == 200
    parser = _Tags()
    parser.feed(response.content.decode())
    return parser


def html_attrs(response) -> dict[str, str | None]:
    return next(attrs for tag, attrs in parse(response).tags if tag == "html")


@pytest.mark.parametrize("path", ["/ar/", "/ar/accounts/signup/"])
def test_an_arabic_page_is_right_to_left(client, site, path):
    assert html_attrs(client.get(path)) == {"lang": "ar", "dir": "rtl"}


@pytest.mark.parametrize("language", ["en", "fr", "es", "pt", "ru"])
def test_other_languages_are_left_to_right(client, site, language):
    assert html_attrs(client.get(f"/{language}/")) == {"lang": language, "dir": "ltr"}


@pytest.mark.parametrize("language", ["fr", "ru", "ar"])
def test_the_switcher_names_every_language_in_itself(client, site, language):
    switcher = {
        attrs["value"]: (attrs["lang"], attrs["dir"], text)
        for attrs, text in parse(client.get(f"/{language}/")).buttons
        if attrs.get("name") == "language"
    }
    assert switcher == {
        "en": ("en", "ltr", "English"),
        "fr": ("fr", "ltr", "Français"),
        "es": ("es", "ltr", "Español"),
        "pt": ("pt", "ltr", "Português"),
        "ru": ("ru", "ltr", "Русский"),
        "ar": ("ar", "rtl", "العربية"),
    }


def _alternates(response) -> dict[str | None, str | None]:
    return {
        attrs["hreflang"]: attrs["href"]
        for tag, attrs in parse(response).tags
        if tag == "link" and attrs.get("rel") == "alternate"
    }


def test_a_translated_page_lists_its_live_translations_as_alternates(client, site):
    course = make_course(title="Integration basics", slug="integration")
    french = course.copy_for_translation(
        Locale.objects.get(language_code="fr"), copy_parents=True
    )
    french.save_revision().publish()
    draft = course.copy_for_translation(
        Locale.objects.get(language_code="ru"), copy_parents=True
    )
    draft.save_revision()  # not published: not an alternate
    response = client.get(french.get_url(), HTTP_HOST="localhost")
    english_url = course.get_full_url()
    assert _alternates(response) == {
        "en": english_url,
        "fr": french.get_full_url(),
        "x-default": english_url,
    }
    assert english_url.startswith("http") and "/en/" in english_url


def test_a_page_in_one_language_has_no_alternates(client, site):
    course = make_course(title="English only", slug="english-only")
    assert _alternates(client.get(course.get_url(), HTTP_HOST="localhost")) == {}


def test_the_alternates_keep_an_anonymous_page_cacheable(client, site):
    home = home_page("en")  # translated in every language by site_ensure
    first = client.get("/en/", HTTP_HOST="localhost")
    assert set(_alternates(first)) == {"en", "fr", "es", "pt", "ru", "ar", "x-default"}
    assert first[page_cache.HEADER] == "miss"
    second = client.get("/en/", HTTP_HOST="localhost")
    assert second[page_cache.HEADER] == "hit"
    assert (
        _alternates(second)["ar"]
        == home.get_translation(Locale.objects.get(language_code="ar")).get_full_url()
    )


def test_the_arabic_dashboard_gives_dates_with_arabic_month_names(
    client, site, participant
):
    from enrolment.models import Enrolment

    course = make_course(title="Integration basics", slug="integration")
    make_enrolment(
        user=participant,
        course=course,
        status=Enrolment.Status.COMPLETED,
        completed_at=dt.datetime(2026, 12, 1, 10, tzinfo=dt.UTC),
    )
    client.force_login(participant)
    arabic = client.get("/ar/dashboard/").content.decode()
    # Django's Arabic DATE_FORMAT ("j F، Y"), Western digits.
    assert "1 ديسمبر، 2026" in arabic
    assert "December" not in arabic
    assert "1 décembre 2026" in client.get("/fr/dashboard/").content.decode()


def test_arabic_date_times_follow_the_arabic_date_format():
    """relais/formats/ar fills in what Django's ar formats leave to the
    English-style default ("Dec. 1, 2026, 2:05 p.m.")."""
    from django.utils import formats, translation

    moment = dt.datetime(2026, 12, 1, 14, 5)
    with translation.override("ar"):
        assert (
            formats.date_format(moment, "DATETIME_FORMAT") == "1 ديسمبر، 2026، 2:05 م"
        )
        assert formats.date_format(moment, "DATE_FORMAT") == "1 ديسمبر، 2026"
    with translation.override("fr"):
        assert formats.date_format(moment, "DATETIME_FORMAT") == "1 décembre 2026 14:05"
