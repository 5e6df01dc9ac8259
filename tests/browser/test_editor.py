"""Editor journey: open a lesson in Wagtail's page editor → open the preview
panel → the preview frame shows the lesson. Like every journey, it fails on
any Content-Security-Policy violation, the editor's and the preview's."""

from __future__ import annotations

import time

import pytest
from django.utils.text import slugify
from playwright.sync_api import expect

from courses.models import LessonPage
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


def _sign_in_to_admin(visitor, user):
    page = visitor.goto("/en/accounts/login/?next=/admin/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(user.email)
    form.locator("[name=password]").fill(PASSWORD)
    return visitor.click_and_land(form.locator("[type=submit]"), "admin")


# Wagtail's editor starts watching for edits two seconds after it opens
# (its w-unsaved controller then says "watch-edits"); a person types later.
WATCHING = """
document.addEventListener("w-unsaved:watch-edits", () => {
  document.documentElement.dataset.relaisWatching = "yes";
});
"""


def _type_title(page, title: str) -> None:
    page.wait_for_selector("html[data-relais-watching=yes]")
    page.locator("#id_title").press_sequentially(title, delay=30)
    # The editor fills the slug from the title a moment later.
    expect(page.locator("#id_slug")).to_have_value(slugify(title))


def _autosaved(module, slug: str, *, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not LessonPage.objects.child_of(module).filter(slug=slug).exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_a_lesson_started_and_left_is_explained_when_started_again(
    open_visitor, admin_user
):
    """Wagtail 8 autosaves the new lesson as a draft once it has a title;
    the editor leaves, comes back and types the same title: the clash is
    said beside the title, not only on the Promote tab (issue 18, item 13)."""
    course = course_with_quiz(title="Return and reintegration")
    module = course_lessons(course)[0].get_parent()
    visitor = open_visitor("editor-drafts", "en", "desktop")
    _sign_in_to_admin(visitor, admin_user)
    add = f"/admin/pages/add/courses/lessonpage/{module.pk}/"
    visitor.context.add_init_script(WATCHING)

    page = visitor.goto(add, "new lesson")
    _type_title(page, "Welcome")
    assert _autosaved(module, "welcome"), "autosave made no draft"
    page = visitor.goto("/admin/", "left")

    page = visitor.goto(add, "new lesson again")
    _type_title(page, "Welcome")
    visitor.click_and_land(page.get_by_role("button", name="Save draft"), "saved")
    title_field = page.locator(".w-field", has=page.locator("#id_title"))
    expect(title_field).to_contain_text("a draft never published")
    expect(title_field).to_contain_text("Carry on with that draft")
    visitor.screenshot("title-clash")
    assert LessonPage.objects.child_of(module).filter(title="Welcome").count() == 1
    visitor.assert_no_csp_violation()
