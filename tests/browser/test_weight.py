"""Light pages for slow lines: on first load (empty cache, a phone), each
public and participant page transfers under 200 KB in all, nothing is
fetched from anywhere but 127.0.0.1, and lesson images are Wagtail
renditions offered in several widths (srcset)."""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import (
    HOST,
    PAGE_BUDGET,
    PAGE_WEIGHTS,
    VIEWPORTS,
    Axe,
    record_csp_violations,
)
from tests.browser.data import issued_certificate, site_ready
from tests.factories import make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def demo(participant):
    """The demo content's courses, the participant enrolled in the integration course
    and holding a certificate of another course."""
    from courses.models import CoursePage, LessonPage
    from demo import courses as courses_demo

    site_ready()
    courses_demo.load(stdout=io.StringIO(), debug=False, translate=False)
    course = CoursePage.objects.get(
        slug="integration-of-migrants-and-refugees", locale__language_code="en"
    )
    make_enrolment(user=participant, course=course)
    lesson = next(
        lesson
        for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
        if any(block.block_type == "image" for block in lesson.body)
    )
    other = CoursePage.objects.filter(locale__language_code="en").exclude(pk=course.pk)
    certificate = issued_certificate(user=participant, course=other.first())
    return {"course": course, "lesson": lesson, "certificate": certificate}


def signed_in_cookie(user, live_server) -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def first_load(browser, live_server, path: str, *, cookie=None, axe_script):
    """Loads `path` in a fresh context (empty cache) on a phone; returns the
    bytes transferred, the URLs requested and the page (to inspect)."""
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=True)
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    violations: list[str] = []
    record_csp_violations(context, page, violations)
    responses, urls = [], []
    page.on("response", lambda r: responses.append(r))
    page.on("request", lambda r: urls.append(r.url))
    response = page.goto(live_server.url + path, wait_until="networkidle")
    assert response is not None and response.ok, f"{path}: HTTP {response.status}"
    total = sum(
        sizes["responseBodySize"] + sizes["responseHeadersSize"]
        for sizes in (r.request.sizes() for r in responses)
    )
    PAGE_WEIGHTS.append((path, total, len(responses)))
    serious = [
        v
        for v in Axe(axe_script).violations(page)
        if v["impact"] in {"serious", "critical"}
    ]
    assert not serious, f"axe on {path}: {serious}"
    assert not violations, f"Content-Security-Policy violations on {path}: {violations}"
    return total, urls, page, context


def assert_lesson_images_are_resized_renditions(page, live_server) -> None:
    from wagtail.images.models import Rendition

    image = page.locator("main .block-image img").first
    srcset = image.get_attribute("srcset") or ""
    widths = re.findall(r"\s(\d+)w", srcset)
    assert len(widths) >= 2, f"no srcset with several widths: {srcset!r}"
    src = image.get_attribute("src")
    assert re.search(r"/images/[^/]+\.width-\d+\.format-webp\.webp$", src), src
    filename = src.rsplit("/", 1)[1]
    assert Rendition.objects.filter(file__endswith=filename).exists()
    fetched = page.request.get(live_server.url + src)
    assert fetched.ok, f"{src}: HTTP {fetched.status}"
    assert fetched.headers["content-type"].startswith("image/")
    assert image.get_attribute("alt")


# One test for the two checks: the demo content they share takes half a
# minute to build, and the live server's database is flushed after each test.
def test_pages_are_light_and_local_and_lesson_images_are_resized_renditions(
    playwright_browser, axe_script, live_server, demo, participant
):
    code = demo["certificate"].code
    public = [
        "/en/",
        "/en/courses/",
        demo["course"].url,
        "/fr/courses/",
        "/en/certificates/verify/",
        f"/en/certificates/verify/{code}/",
        "/en/accounts/login/",
        "/en/accounts/signup/",
    ]
    participant_pages = ["/en/dashboard/", demo["lesson"].url, "/en/profile/"]
    cookie = signed_in_cookie(participant, live_server)
    heavy, outside = [], []
    for path in public + participant_pages:
        total, urls, page, context = first_load(
            playwright_browser,
            live_server,
            path,
            cookie=cookie if path in participant_pages else None,
            axe_script=axe_script,
        )
        if path == demo["lesson"].url:
            assert_lesson_images_are_resized_renditions(page, live_server)
        context.close()
        if total >= PAGE_BUDGET:
            heavy.append(f"{path}: {total / 1024:.1f} KB")
        outside += [
            u
            for u in urls
            if urlsplit(u).scheme.startswith("http") and urlsplit(u).hostname != HOST
        ]
    assert not heavy, f"pages over {PAGE_BUDGET // 1024} KB on first load: {heavy}"
    assert not outside, f"requests left {HOST}: {outside}"
