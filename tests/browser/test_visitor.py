"""Visitor journey: anyone verifies a certificate by typing its code; a
revoked certificate says so."""

from __future__ import annotations

import pytest

from tests.browser.conftest import combos
from tests.browser.data import course_with_quiz, issued_certificate, revoked_certificate

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def certificates(participant, other_participant, admin_user):
    course = course_with_quiz()
    valid = issued_certificate(user=participant, course=course)
    revoked = revoked_certificate(
        user=other_participant,
        course=course_with_quiz(title="Border management"),
        actor=admin_user,
        reason="Issued by mistake",
    )
    return valid, revoked


def typed_by_hand(code: str) -> str:
    """How a person types a code read off paper: lower case, spaces for dashes."""
    return code.lower().replace("-", " ")


@pytest.mark.parametrize(("language", "viewport"), combos("ru"))
def test_a_visitor_verifies_a_typed_code_and_sees_a_revoked_one_is_revoked(
    open_visitor, certificates, language, viewport
):
    valid, revoked = certificates
    visitor = open_visitor("visitor", language, viewport)
    page = visitor.goto(f"/{language}/")

    page = visitor.click_and_land(
        page.locator(f"footer a[href='/{language}/certificates/verify/']")
    )
    page.locator("form.verify-form input[name=code]").fill(typed_by_hand(valid.code))
    page = visitor.click_and_land(
        page.locator("form.verify-form[method=get] button[type=submit]")
    )
    assert page.url.endswith(f"/{language}/certificates/verify/{valid.code}/")
    assert page.locator(".verify-result.valid").is_visible()
    assert "Alice Mbeki" in page.locator(".verify-facts").inner_text()

    page = visitor.click_and_land(
        page.locator(f"main a[href='/{language}/certificates/verify/']")
    )
    page.locator("form.verify-form input[name=code]").fill(typed_by_hand(revoked.code))
    page = visitor.click_and_land(
        page.locator("form.verify-form[method=get] button[type=submit]")
    )
    assert page.locator(".verify-result.revoked").is_visible()
    assert "Issued by mistake" in page.locator(".verify-facts").inner_text()
    assert not page.locator(".verify-result.valid").count()
