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


REPEAT_BUDGET = 20 * 1024  # a lesson read again: bytes over the network
SHELL_READY = """async () => {
  if (!navigator.serviceWorker.controller) return false;
  const shell = await caches.open("relais-shell-v1");
  return (await shell.keys()).length === 6;
}"""


def network_bytes(responses) -> int:
    """Bytes that came over the network: the page's own requests and the
    service worker's, not those the worker answered itself (from its caches,
    or by a fetch of its own, which is counted as the worker's request)."""
    return sum(
        sizes["responseBodySize"] + sizes["responseHeadersSize"]
        for sizes in (r.request.sizes() for r in responses if not r.from_service_worker)
    )


def test_lesson_first_load_with_the_worker_and_its_repeat_load_are_light(
    playwright_browser, live_server, demo, participant
):
    """First load: the lesson, the worker and the offline pages it keeps,
    under 200 KB. Repeat load (the worker in charge): under 20 KB over the
    network. Nothing leaves 127.0.0.1, the worker's requests included."""
    context = playwright_browser.new_context(
        viewport=VIEWPORTS["phone"], is_mobile=True
    )
    context.add_cookies([signed_in_cookie(participant, live_server)])
    responses: list = []
    urls: list[str] = []
    context.on("response", lambda r: responses.append(r))
    context.on("request", lambda r: urls.append(r.url))
    page = context.new_page()
    path = demo["lesson"].url
    page.goto(live_server.url + path, wait_until="networkidle")
    page.wait_for_function(SHELL_READY)
    page.mouse.wheel(0, 20000)  # lazy images below the fold
    page.wait_for_load_state("networkidle")
    # The worker and the offline pages it keeps are in the first load's bytes.
    assert any(r.url.endswith("/sw.js") for r in responses)
    assert sum(r.url.endswith("/offline/") for r in responses) == 6
    first = network_bytes(responses)
    PAGE_WEIGHTS.append((f"{path} (with the worker)", first, len(responses)))

    responses.clear()
    response = page.goto(live_server.url + path, wait_until="networkidle")
    assert response is not None and response.ok
    page.mouse.wheel(0, 20000)
    page.wait_for_load_state("networkidle")
    repeat = network_bytes(responses)
    PAGE_WEIGHTS.append((f"{path} (repeat load)", repeat, len(responses)))
    context.close()
    outside = [
        u
        for u in urls
        if urlsplit(u).scheme.startswith("http") and urlsplit(u).hostname != HOST
    ]
    assert not outside, f"requests left {HOST}: {outside}"
    assert first < PAGE_BUDGET, f"first load with the worker: {first / 1024:.1f} KB"
    assert repeat < REPEAT_BUDGET, f"repeat load: {repeat / 1024:.1f} KB"
