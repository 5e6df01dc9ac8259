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


def test_a_russian_reader_opening_an_english_only_course_stays_under_ru(
    open_visitor,
):
    from courses.languages import course_aliases_ensure

    site_ready()
    course = make_course(title="Diaspora engagement", modules=1, lessons_per_module=1)
    course_aliases_ensure(course)
    visitor = open_visitor("language-alias", "ru", "phone")
    page = visitor.goto("/ru/courses/", "catalogue")
    card = page.locator(".course-card", has_text="Diaspora engagement")
    assert card.get_attribute("lang") == "en"
    page = visitor.click_and_land(card.locator("h2 a"), "course")
    assert path_of(page).startswith("/ru/courses/")
    assert page.locator("html").get_attribute("lang") == "ru"
    notice = page.locator(".content-language-notice")
    assert notice.inner_text().strip() == (
        translated(
            "ru", "This course is in %(content)s; the interface stays in %(interface)s."
        )
        % {"content": "английский", "interface": "русский"}
    )


def test_a_french_invitee_lands_in_french(open_visitor, tasks, trainer):
    from django.utils import timezone
    from wagtail.models import Locale

    from cascades.services import (
        cohort_invite,
        cohort_open,
        qualifications_from_completion,
    )
    from tests.browser.conftest import mail_links, submit_sign_up, wait_for_mail
    from tests.factories import catalogue, make_cohort

    site_ready()
    tot = make_course(title="ToT", kind="train_the_trainer", modules=1)
    workshop = make_course(title="Delivering the workshop", modules=1)
    tot.qualifies_for.set([workshop])
    tot.save()
    fr = Locale.objects.get(language_code="fr")
    index = catalogue("en").copy_for_translation(fr)
    index.save_revision().publish()
    french = workshop.copy_for_translation(fr)
    french.title = "Animer l’atelier"
    french.save_revision().publish()
    qualifications_from_completion(
        enrolment=make_enrolment(
            user=trainer,
            course=tot,
            cohort=make_cohort(course=tot),
            status="completed",
            completed_at=timezone.now(),
        )
    )
    cohort = cohort_open(
        trainer=trainer, course=workshop, name="Cohorte Dakar", language="fr"
    )
    email = "claire.ndiaye@example.org"
    cohort_invite(cohort=cohort, text=email, invited_by=trainer)
    (invitation_mail,) = wait_for_mail(tasks, email)
    link = next(u for u in mail_links(invitation_mail) if "/invitations/" in u)
    visitor = open_visitor("language-invitee", "fr", "phone")
    page = visitor.goto(urlsplit(link).path, "invitation")
    assert path_of(page).startswith("/fr/invitations/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Animer l’atelier" in page.locator("h1").inner_text()
    page = visitor.click_and_land(
        page.locator("main a[href*='/accounts/signup/']"), "sign-up"
    )
    submit_sign_up(
        visitor,
        page,
        email=email,
        password=PASSWORD,
        first_name="Claire",
        last_name="Ndiaye",
        country="SN",
        institution="Direction des migrations",
    )
    mails = wait_for_mail(tasks, email, count=2)
    confirm = next(u for m in mails for u in mail_links(m) if "/confirm-email/" in u)
    page = visitor.goto(urlsplit(confirm).path, "confirm-email")
    page = visitor.click_and_land(page.locator("main form [type=submit]"), "confirmed")
    assert path_of(page) == french.url
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("h1").inner_text().strip() == "Animer l’atelier"
