"""Languages in the browser: the choice sticks (a cookie for visitors, the
profile for users, so it follows them to a new device), and dates and
numbers follow the locale."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.browser.data import PASSWORD, site_ready
from tests.factories import make_course, make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def translated(language: str, msgid: str) -> str:
    import polib
    from django.conf import settings

    po = polib.pofile(
        str(settings.BASE_DIR / "locale" / language / "LC_MESSAGES" / "django.po")
    )
    entry = po.find(msgid)
    assert entry and entry.msgstr, f"{msgid!r} is not translated in {language}"
    return entry.msgstr


def path_of(page) -> str:
    return urlsplit(page.url).path


def sign_in(visitor, email: str):
    page = visitor.goto("/en/accounts/login/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    return visitor.click_and_land(form.locator("[type=submit]"), "signed-in")


def test_a_visitors_language_choice_sticks_in_a_cookie(open_visitor):
    site_ready()
    visitor = open_visitor("language-visitor", "es", "phone")
    page = visitor.goto("/en/")
    page = visitor.click_and_land(page.locator(".lang-switch button[lang=es]"), "es")
    assert path_of(page) == "/es/"
    cookies = {c["name"]: c["value"] for c in visitor.context.cookies()}
    assert cookies.get("relais_language") == "es"

    page.goto(visitor.url("/certificates/verify/"))
    assert path_of(page) == "/es/certificates/verify/"
    assert page.locator("html").get_attribute("lang") == "es"
    nav = page.locator("header nav a[href='/es/courses/']")
    assert nav.inner_text().strip() == translated("es", "Courses")


def test_a_users_language_choice_sticks_to_the_profile_on_a_new_device(
    open_visitor, participant
):
    from accounts.models import User

    site_ready()
    laptop = open_visitor("language-user", "ru", "desktop")
    sign_in(laptop, participant.email)
    page = laptop.click_and_land(
        laptop.page.locator(".lang-switch button[lang=ru]"), "ru"
    )
    assert path_of(page).startswith("/ru/")
    assert User.objects.get(pk=participant.pk).preferred_language == "ru"

    phone = open_visitor("language-user", "ru", "phone")  # a new device, no cookie
    sign_in(phone, participant.email)
    phone.page.goto(phone.url("/dashboard/"))
    assert path_of(phone.page) == "/ru/dashboard/"


def test_dates_and_numbers_follow_the_locale_on_a_french_page(
    open_visitor, participant, live_server
):
    from django.conf import settings
    from django.test import Client

    site_ready()
    course = make_course(title="Gestion des frontières", language="fr", hours="6.5")
    make_enrolment(
        user=participant,
        course=course,
        status="completed",
        completed_at=timezone.make_aware(dt.datetime(2026, 3, 5, 10, 0)),
    )
    client = Client()
    client.force_login(participant)
    visitor = open_visitor("locale-formats", "fr", "desktop")
    visitor.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = visitor.goto("/fr/dashboard/")
    assert "5 mars 2026" in page.locator("main").inner_text()
    page = visitor.goto(course.url)
    assert "6,5" in page.locator("main .hero").inner_text()
