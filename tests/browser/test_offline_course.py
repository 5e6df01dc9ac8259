"""A course kept on a phone (docs/offline.md): kept with its size shown
first, read with the network off, refreshed after an edit and an unpublish
once back online, listed on the dashboard and removed from there."""

from __future__ import annotations

import io

import pytest

from tests.browser.data import site_ready
from tests.browser.test_weight import signed_in_cookie
from tests.factories import course_lessons, make_course, make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CONTROLLED = "() => navigator.serviceWorker.controller !== null"
KEPT_READY = "() => document.documentElement.dataset.keptReady === '1'"


@pytest.fixture
def kept_course(participant):
    """A course of two modules of three lessons, an image in the first; the
    participant enrolled."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    site_ready()
    course = make_course(title="Reading offline", modules=2, lessons_per_module=3)
    buffer = io.BytesIO()
    PILImage.new("RGB", (1200, 700), (30, 80, 140)).save(buffer, format="PNG")
    image = get_image_model().objects.create(
        title="map", file=ImageFile(io.BytesIO(buffer.getvalue()), name="map.png")
    )
    first = course_lessons(course)[0]
    first.body = [
        ("rich_text", "<p>The first lesson.</p>"),
        ("image", {"image": image, "alt_text": "A map", "caption": ""}),
    ]
    first.save_revision().publish()
    make_enrolment(user=participant, course=course)
    return course


def open_phone(open_visitor, participant, live_server):
    visitor = open_visitor("keep", "en", "phone")
    visitor.context.add_cookies([signed_in_cookie(participant, live_server)])
    return visitor


def keep(visitor, course):
    page = visitor.goto(course.url, "course")
    page.wait_for_function(CONTROLLED)
    panel = page.locator("[data-keep-course]")
    panel.wait_for(state="visible")
    # The size is on the page before anything is downloaded.
    assert "it takes" in panel.inner_text()
    panel.locator("[data-keep-button]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-keep-course]').dataset.kept"
    )
    assert "Kept on this phone" in panel.locator("[data-keep-status]").inner_text()
    assert panel.locator("[data-keep-button]").is_hidden()
    assert panel.locator("[data-keep-remove]").is_visible()
    visitor.screenshot("course kept")
    return page


def read_offline(page, url):
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    return page


def test_a_kept_course_is_read_offline_and_follows_edits_once_back_online(
    open_visitor, live_server, participant, kept_course
):
    lessons = course_lessons(kept_course)
    visitor = open_phone(open_visitor, participant, live_server)
    page = keep(visitor, kept_course)

    visitor.context.set_offline(True)
    for lesson in lessons[:3]:
        read_offline(page, live_server.url + lesson.url)
        assert page.locator("main h1").inner_text() == lesson.title
    read_offline(page, live_server.url + lessons[0].url)
    page.wait_for_function(
        "() => [...document.querySelectorAll('main .block-image img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )

    # Meanwhile an editor rewrites one lesson and unpublishes another.
    visitor.context.set_offline(False)
    edited, dropped = lessons[4], lessons[5]
    edited.body = [("rich_text", "<p>Rewritten while you were away.</p>")]
    edited.save_revision().publish()
    dropped.unpublish()
    page.goto(live_server.url + "/en/dashboard/", wait_until="load")
    page.wait_for_function(KEPT_READY)

    visitor.context.set_offline(True)
    read_offline(page, live_server.url + edited.url)
    assert "Rewritten while you were away." in page.locator("main").inner_text()
    read_offline(page, live_server.url + dropped.url)
    assert page.locator("main h1").inner_text() == "You are offline"
    kept_urls = page.evaluate(
        """async (name) => (await (await caches.open(name)).keys())
             .map(r => new URL(r.url).pathname)""",
        f"relais-course-{kept_course.pk}",
    )
    assert edited.url in kept_urls and dropped.url not in kept_urls
    visitor.context.set_offline(False)


def test_the_dashboard_lists_the_kept_course_with_its_size_and_removes_it(
    open_visitor, live_server, participant, kept_course
):
    visitor = open_phone(open_visitor, participant, live_server)
    page = keep(visitor, kept_course)
    page = visitor.goto("/en/dashboard/", "dashboard")
    page.wait_for_function(KEPT_READY)
    # Keeping fetched every lesson, yet none counts as read.
    assert page.get_by_role("link", name="Start the course").is_visible()
    item = page.locator(f"[data-kept-course='{kept_course.pk}']")
    item.wait_for(state="visible")
    assert kept_course.title in item.inner_text()
    size = int(item.locator("[data-kept-size]").get_attribute("data-kept-size"))
    assert size > 10_000
    assert "kb" in item.locator("[data-kept-size]").inner_text().lower()
    item.get_by_role("button", name="Remove from this phone").click()
    page.locator("[data-kept-list]").wait_for(state="hidden")
    names = page.evaluate("async () => await caches.keys()")
    assert f"relais-course-{kept_course.pk}" not in names
    visitor.goto(kept_course.url, "course after removal")
    page.locator("[data-keep-button]").wait_for(state="visible")
