"""Content-Security-Policy, Referrer-Policy and Permissions-Policy on every
kind of response: a public page (first from the view, then from the page
cache), a signed-in page, Wagtail's admin and /healthz."""

from __future__ import annotations

import pytest

from tests.factories import make_course

CSP = "Content-Security-Policy"
# Every directive of the policy and its exact sources (docs/security.md).
EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "media-src": {"'self'"},
    "frame-src": {"'self'"},
    "worker-src": {"'self'"},
    "manifest-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'self'"},
}
DENIED_FEATURES = ("camera", "microphone", "geolocation", "payment", "usb")


def directives(response) -> dict[str, set[str]]:
    policy = response[CSP]
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = set(sources)
    return parsed


# Wagtail's admin also needs these (relais/csp.py), on its own URLs only.
ADMIN_EXTRA = {
    "script-src": {"'self'", "'unsafe-inline'"},
    "style-src": {"'self'", "'unsafe-inline'"},
    "img-src": {"'self'", "data:"},
}


def assert_relais_headers(response, *, admin: bool = False) -> None:
    expected = {**EXPECTED, **(ADMIN_EXTRA if admin else {})}
    assert directives(response) == expected
    assert response["Referrer-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    for feature in DENIED_FEATURES:
        assert f"{feature}=()" in policy


@pytest.fixture
def course(site):
    return make_course(title="Headers course", modules=1, lessons_per_module=1)


def test_a_public_page_carries_the_policy_from_the_view_and_from_the_cache(
    course, client
):
    first = client.get(course.url)
    second = client.get(course.url)
    assert (first["X-Relais-Page-Cache"], second["X-Relais-Page-Cache"]) == (
        "miss",
        "hit",
    )
    assert_relais_headers(first)
    assert_relais_headers(second)


def test_a_signed_in_page_carries_the_policy(client, participant, site):
    client.force_login(participant)
    response = client.get("/en/dashboard/")
    assert response.status_code == 200
    assert_relais_headers(response)


def test_an_admin_page_carries_the_admin_policy(client, admin_user, site):
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_relais_headers(response, admin=True)


def test_a_page_preview_in_the_admin_keeps_the_public_policy(
    client, admin_user, course
):
    from courses.models import LessonPage

    lesson = LessonPage.objects.descendant_of(course).first()
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/{lesson.pk}/view_draft/")
    assert response.status_code == 200
    assert b"Lesson 1.1" in response.content
    assert_relais_headers(response)


def test_an_admin_report_of_relais_carries_the_admin_policy(client, admin_user, site):
    client.force_login(admin_user)
    response = client.get("/admin/programme-reports/enrolments/")
    assert response.status_code == 200
    assert_relais_headers(response, admin=True)


def test_the_sign_in_page_keeps_the_public_policy(client, site):
    response = client.get("/en/accounts/login/?next=/admin/")
    assert response.status_code == 200
    assert_relais_headers(response)


def test_the_health_check_carries_the_policy(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert_relais_headers(response)


def test_no_public_page_holds_an_inline_script_or_style(course, client):
    """The policy refuses them, so they would silently do nothing."""
    from courses.models import LessonPage

    lesson = LessonPage.objects.descendant_of(course).first()
    for url in ("/en/", course.url, lesson.url):
        body = client.get(url).content.decode()
        assert "<script>" not in body and "<style" not in body
        assert " style=" not in body


def test_the_authenticator_app_page_allows_its_data_qr_code_only(client, participant):
    from tests.conftest import reauthenticate

    client.force_login(participant)
    reauthenticate(client)
    page = client.get("/en/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    policy = page["Content-Security-Policy"]
    assert "img-src 'self' data:" in policy
    assert "data:" not in client.get("/en/dashboard/")["Content-Security-Policy"]
