"""Editor journey: open a lesson in Wagtail's page editor → open the preview
panel → the preview frame shows the lesson. Like every journey, it fails on
any Content-Security-Policy violation, the editor's and the preview's."""

from __future__ import annotations

import time

import pytest

from tests.browser.conftest import combos
from tests.browser.data import PASSWORD, course_with_quiz
from tests.factories import course_lessons

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def preview_frame(page, *, timeout: float = 15):
    """The preview panel's frame once it has loaded the page preview."""
    deadline = time.monotonic() + timeout
    while True:
        for frame in page.frames:
            if "/preview/" in frame.url and frame.locator("main h1").count():
                return frame
        assert time.monotonic() < deadline, (
            f"no preview frame loaded: {[f.url for f in page.frames]}"
        )
        page.wait_for_timeout(200)


@pytest.mark.parametrize(("language", "viewport"), combos("fr"))
def test_an_editor_previews_a_lesson_in_the_page_editor(
    open_visitor, admin_user, language, viewport
):
    course = course_with_quiz(title="Return and reintegration")
    lesson = course_lessons(course)[0]
    visitor = open_visitor("editor", language, viewport)

    page = visitor.goto(f"/{language}/accounts/login/?next=/admin/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(admin_user.email)
    form.locator("[name=password]").fill(PASSWORD)
    page = visitor.click_and_land(form.locator("[type=submit]"), "admin")

    page = visitor.goto(f"/admin/pages/{lesson.pk}/edit/", "editor")
    page.locator("[data-side-panel-toggle='preview']").first.click()
    frame = preview_frame(page)
    assert frame.locator("main h1").inner_text() == lesson.title
    assert "Lesson 1.1 text." in frame.locator("main").inner_text()
    visitor.screenshot("preview")
    visitor.assert_no_csp_violation()
