"""The whole participant journey in Russian and in Arabic on a phone: sign up
in the language, take the train-the-trainer course in it, download the
certificate, and find no word of the English template anywhere in the PDF.
In Arabic the pages are right to left (`dir`, the navigation mirrored)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import mail_links, wait_for_mail
from tests.browser.data import PASSWORD, site_ready
from tests.browser.test_participant import wait_for_issued_certificate
from tests.certificates.test_languages import english_words, pdf_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PEOPLE = {
    "ru": {
        "first_name": "Айгуль",
        "last_name": "Осмонова",
        "country": "KG",
        "course": "Инструмент развития потенциала: подготовка тренеров",
    },
    "ar": {
        "first_name": "محمد",
        "last_name": "عبد الله الحسيني",
        "country": "TN",
        "course": "أداة تنمية القدرات: تدريب المدربين",
    },
}


def tot_course(language: str, title: str):
    """A train-the-trainer course written in `language`, whose certificate
    wording and signatory title are left to the translated defaults, open to
    self-enrolment."""
    from tests.factories import make_course

    site_ready()
    course = make_course(
        title=title,
        language=language,
        kind="train_the_trainer",
        modules=2,
        lessons_per_module=1,
    )
    course.certificate_wording = ""
    course.certificate_signatory_title = ""
    course.enrolment_mode = "open"  # (a key is tried in test_participant)
    course.save_revision().publish()
    return course


@pytest.mark.parametrize("language", ["ru", "ar"])
def test_a_participant_does_everything_in_their_language_down_to_the_pdf(
    open_visitor, tasks, language
):
    from accounts.models import User

    person = PEOPLE[language]
    course = tot_course(language, person["course"])
    email = f"journey-{language}@example.org"
    visitor = open_visitor("own-language", language, "phone")

    page = visitor.goto(f"/{language}/", "home")
    html = page.locator("html")
    assert html.get_attribute("lang") == language
    assert html.get_attribute("dir") == ("rtl" if language == "ar" else "ltr")
    if language == "ar":
        # Mirrored: the brand sits at the right edge, right of the navigation.
        brand = page.locator("header .brand").bounding_box()
        width = page.viewport_size["width"]
        assert brand and brand["x"] + brand["width"] > width * 0.6, brand

    page = visitor.click_and_land(
        page.locator("header a[href$='/accounts/signup/']"), "sign-up"
    )
    assert urlsplit(page.url).path.startswith(f"/{language}/")
    form = page.locator("main form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=first_name]").fill(person["first_name"])
    form.locator("[name=last_name]").fill(person["last_name"])
    form.locator("[name=password1]").fill(PASSWORD)
    form.locator("[name=password2]").fill(PASSWORD)
    form.locator("[name=country]").select_option(person["country"])
    visitor.click_and_land(form.locator("[type=submit]"), "signed-up")

    mails = wait_for_mail(tasks, email)
    assert mails, f"no verification mail to {email}"
    assert person["first_name"] in mails[0], "the mail does not greet by name"
    links = [u for u in mail_links(mails[0]) if "/confirm-email/" in u]
    assert links, mails[0]
    page = visitor.goto(urlsplit(links[0]).path, "confirm-email")
    page = visitor.click_and_land(page.locator("main form [type=submit]"), "confirmed")
    assert User.objects.get(email=email).preferred_language == language

    page = visitor.click_and_land(
        page.locator(f"header a[href='/{language}/courses/']"), "catalogue"
    )
    page = visitor.click_and_land(
        page.locator("main").get_by_role("link", name=course.title), "course"
    )
    assert urlsplit(page.url).path.startswith(f"/{language}/")
    page = visitor.click_and_land(
        page.locator(".enrolment-panel form[action$='/enrol/'] button"), "enrolled"
    )
    page = visitor.click_and_land(page.locator(".enrolment-panel a.button"), "lesson-1")
    # On a phone the outline is collapsed; the progress bar stays in view.
    assert page.locator("details.outline-details").evaluate("d => d.open") is False
    assert page.locator("progress#course-progress").is_visible()
    page = visitor.click_and_land(page.locator("form.mark-done button"), "lesson-2")
    page = visitor.click_and_land(page.locator("form.mark-done button"), "done")
    assert not page.locator("form.mark-done").count(), "the last lesson is not done"
    if language == "ar":
        assert page.locator("html").get_attribute("dir") == "rtl"

    page = visitor.click_and_land(
        page.locator("header a[href$='/dashboard/']"), "dashboard"
    )
    page = wait_for_issued_certificate(visitor, tasks)
    link = page.locator(".certificate-card a[href*='/download']").first
    response = page.request.get(visitor.url(link.get_attribute("href")))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())

    english = english_words(text, language)
    assert not english, f"English on the {language} certificate: {english}\n{text}"
    assert course.title.split()[-1] in text or language == "ar", text
    if language == "ru":
        assert f"{person['first_name']} {person['last_name']}" in text, text
