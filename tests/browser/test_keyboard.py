"""Keyboard only: the visitor's verification and the participant's enrol →
continue → mark as done, driven with Tab, Enter and Space alone (the first
page is opened by URL, as a person would type it), with a visible focus on
every control reached."""

from __future__ import annotations

import pytest

from tests.browser.data import course_with_quiz, issued_certificate
from tests.factories import course_lessons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_TABS = 60


def tab_to(page, selector: str) -> None:
    """Presses Tab until the focused element matches `selector`; fails if
    the element cannot be reached or its focus is not visible."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            style = page.evaluate(
                """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"""
            )
            assert style[0] != "none" and style[1] != "0px" or style[2] != "none", (
                f"no visible focus on {selector}: {style}"
            )
            return
    raise AssertionError(f"{selector} not reached with {MAX_TABS} presses of Tab")


def press_and_land(visitor, key: str, label: str):
    with visitor.page.expect_navigation(wait_until="load"):
        visitor.page.keyboard.press(key)
    return visitor.landed(label)


def test_a_visitor_verifies_a_certificate_with_the_keyboard_only(
    open_visitor, participant
):
    certificate = issued_certificate(user=participant, course=course_with_quiz())
    visitor = open_visitor("keyboard-visitor", "en", "desktop")
    page = visitor.goto("/en/")

    tab_to(page, "footer a[href='/en/certificates/verify/']")
    page = press_and_land(visitor, "Enter", "verify-form")
    tab_to(page, "input[name=code]")
    page.keyboard.type(certificate.code.lower())
    page = press_and_land(visitor, "Enter", "verified")
    assert page.locator(".verify-result.valid").is_visible()


def test_a_participant_enrols_and_marks_a_lesson_done_with_the_keyboard_only(
    open_visitor, participant, live_server
):
    from django.conf import settings
    from django.test import Client

    from enrolment.models import Enrolment

    course = course_with_quiz(language="fr", title="Gestion des frontières")
    first = course_lessons(course)[0]
    client = Client()
    client.force_login(participant)
    visitor = open_visitor("keyboard-participant", "fr", "desktop")
    visitor.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = visitor.goto(course.url)

    tab_to(page, ".enrolment-panel form[action$='/enrol/'] button")
    page = press_and_land(visitor, "Space", "enrolled")
    assert Enrolment.objects.filter(user=participant, course=course).exists()
    tab_to(page, ".enrolment-panel a.button")
    page = press_and_land(visitor, "Enter", "lesson")
    assert page.url.endswith(first.url)
    tab_to(page, "form.mark-done button")
    press_and_land(visitor, "Space", "marked-done")
    enrolment = Enrolment.objects.get(user=participant, course=course)
    assert enrolment.progress.filter(lesson=first, completed_at__isnull=False).exists()
