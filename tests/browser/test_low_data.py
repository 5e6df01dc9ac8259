"""Low-data mode on a phone (docs/low-data.md): with the profile's "save data"
choice or the Save-Data header, a lesson with images requests no image."""

from __future__ import annotations

import pytest

from tests.browser.conftest import VIEWPORTS
from tests.browser.test_weight import demo, signed_in_cookie  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def lesson_requests(browser, live_server, path, cookie, headers=None):
    context = browser.new_context(
        viewport=VIEWPORTS["phone"], is_mobile=True, extra_http_headers=headers or {}
    )
    context.add_cookies([cookie])
    page = context.new_page()
    urls: list[str] = []
    sizes: list[int] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("response", lambda r: sizes.append(len(r.body()) if r.ok else 0))
    response = page.goto(live_server.url + path, wait_until="networkidle")
    assert response is not None and response.ok
    page.mouse.wheel(0, 20000)  # lazy images below the fold would load now
    page.wait_for_load_state("networkidle")
    context.close()
    return urls, sum(sizes)


@pytest.mark.parametrize("how", ["profile", "header"])
def test_save_data_lesson_requests_no_image(
    how,
    demo,  # noqa: F811  (the fixture imported above)
    participant,
    playwright_browser,
    live_server,  # noqa: F811
):
    path = demo["lesson"].url
    cookie = signed_in_cookie(participant, live_server)
    urls, before = lesson_requests(playwright_browser, live_server, path, cookie)
    assert any("/images/" in url and url.endswith(".webp") for url in urls)
    if how == "profile":
        participant.save_data = True
        participant.save(update_fields=["save_data"])
        headers = None
    else:
        headers = {"Save-Data": "on"}
    urls, after = lesson_requests(
        playwright_browser, live_server, path, cookie, headers
    )
    assert not any("/images/" in url for url in urls), urls
    print(f"lesson at 360 px: {before} bytes with images, {after} in save-data")
    assert after < before
