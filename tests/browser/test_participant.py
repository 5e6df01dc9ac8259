"""Participant journey: sign up → verification email → confirm → choose a
language → catalogue → enrol → lessons → quiz → course complete → the
certificate (rendered by the Celery worker) appears on the dashboard → its
verification page says valid."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import combos, mail_links, submit_sign_up, wait_for_mail
from tests.browser.data import PASSWORD, course_with_quiz

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CERTIFICATE_WAIT = 60  # seconds: the worker renders the PDF in one or two


def sign_up(visitor, *, email: str):
    page = visitor.goto("/en/")
    page = visitor.click_and_land(page.locator("header a[href$='/accounts/signup/']"))
    return submit_sign_up(visitor, page, email=email, password=PASSWORD)


def confirm_email(visitor, worker, *, email: str):
    mails = wait_for_mail(worker, email)
    assert mails, f"no verification mail to {email}"
    links = [u for u in mail_links(mails[0]) if "/confirm-email/" in u]
    assert links, f"no confirmation link in:\n{mails[0]}"
    page = visitor.goto(urlsplit(links[0]).path, "confirm-email")
    return visitor.click_and_land(page.locator("main form [type=submit]"), "confirmed")


def choose_language(visitor, language: str):
    page = visitor.page
    return visitor.click_and_land(
        page.locator(f".lang-switch button[lang={language}]"), f"language-{language}"
    )


def wait_for_issued_certificate(visitor, worker):
    deadline = time.monotonic() + CERTIFICATE_WAIT
    page = visitor.page
    while not page.locator(".certificate-card .badge.ok").count():
        assert time.monotonic() < deadline, (
            f"no issued certificate on the dashboard after {CERTIFICATE_WAIT}s"
            + (f"; worker log:\n{worker.log()}" if worker else "")
        )
        time.sleep(1)
        page.reload(wait_until="load")
    return visitor.landed("dashboard-certificate")


def answer_the_quiz(page):
    quiz = page.locator("section.quiz form")
    quiz.get_by_label("The government, with civil society").check()
    quiz.get_by_label("Employment").check()
    quiz.get_by_label("Housing").check()
    return quiz.locator("button[type=submit]")


@pytest.mark.parametrize(("language", "viewport"), combos("fr"))
def test_a_participant_signs_up_learns_and_gets_a_verifiable_certificate(
    open_visitor, tasks, language, viewport
):
    from accounts.models import User

    course = course_with_quiz(language=language, title="Intégration des migrants")
    email = f"amelie-{language}-{viewport}@example.org"
    visitor = open_visitor("participant", language, viewport)

    sign_up(visitor, email=email)
    page = confirm_email(visitor, tasks, email=email)
    assert page.locator("header form[action$='/logout/']").count(), "not signed in"

    page = choose_language(visitor, language)
    assert User.objects.get(email=email).preferred_language == language
    assert urlsplit(page.url).path.startswith(f"/{language}/")

    page = visitor.click_and_land(
        page.locator(f"header a[href='/{language}/courses/']"), "catalogue"
    )
    page = visitor.click_and_land(
        page.locator("main").get_by_role("link", name=course.title), "course"
    )
    page = visitor.click_and_land(
        page.locator(".enrolment-panel form[action$='/enrol/'] button"), "enrolled"
    )
    assert page.locator(".enrolment-panel .badge").count()

    page = visitor.click_and_land(page.locator(".enrolment-panel a.button"), "lesson-1")
    page = visitor.click_and_land(page.locator("form.mark-done button"), "lesson-2")
    page = visitor.click_and_land(answer_the_quiz(page), "quiz-answered")
    assert page.locator(".quiz-result .badge.ok").count(), "quiz not passed"
    if page.locator("form.mark-done button").count():  # a passed quiz may mark it
        page = visitor.click_and_land(page.locator("form.mark-done button"), "done")
    assert not page.locator("form.mark-done").count(), "the last lesson is not done"

    page = visitor.click_and_land(
        page.locator("header a[href$='/dashboard/']"), "dashboard"
    )
    page = wait_for_issued_certificate(visitor, tasks)
    page = visitor.click_and_land(
        page.locator(".certificate-card a[href*='/certificates/verify/']"), "verify"
    )
    assert page.locator(".verify-result.valid").is_visible()
    assert "Amélie Nguyễn" in page.locator(".verify-facts").inner_text()
    assert len(wait_for_mail(tasks, email, count=2)) >= 2, "no certificate email"

    # The signed credential: downloaded, then checked on the verification page.
    with page.expect_download() as download:
        page.locator(".credential-actions a[href$='/credential.json']").click()
    saved = download.value.path()
    page = visitor.click_and_land(page.locator("a[href$='#credential']"), "check")
    page.set_input_files("#id_credential", str(saved))
    page = visitor.click_and_land(
        page.locator("section.verify-credential button[type=submit]"), "checked"
    )
    assert page.locator(".verify-result.valid").is_visible()
    assert "Amélie Nguyễn" in page.locator(".verify-facts").inner_text()
