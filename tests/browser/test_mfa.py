"""Two factors for staff (docs/security.md): a staff member signs in, is
sent to set up an authenticator app, reads the secret on the page (as an
app would from the QR code), proves it with a code and reaches the admin.
A wrong code is refused; on another device a recovery code lets them in
once, and a second use of the same code is refused."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import combos
from tests.browser.data import PASSWORD, site_ready
from tests.totp import fresh_totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(visitor, email: str):
    page = visitor.goto(f"/{visitor.language}/accounts/login/?next=/admin/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    return visitor.click_and_land(form.locator("[type=submit]"))


def send_code(visitor, code: str, label: str):
    page = visitor.page
    form = page.locator("main form:has([name=code])")
    form.locator("[name=code]").fill(code)
    return visitor.click_and_land(form.locator("[type=submit]").first, label)


def path_of(page) -> str:
    return urlsplit(page.url).path


@pytest.mark.parametrize(("language", "viewport"), combos("fr"))
def test_staff_set_up_an_authenticator_app_then_sign_in_with_a_recovery_code_once(
    open_visitor, admin_user, settings, language, viewport
):
    from allauth.mfa.models import Authenticator

    settings.RELAIS_STAFF_MFA_REQUIRED = True
    site_ready()
    visitor = open_visitor("mfa", language, viewport)

    # Signed in, the admin sends them to set up a second factor, saying why;
    # allauth first asks for the password again (a sensitive change).
    page = sign_in(visitor, admin_user.email)
    assert path_of(page) == f"/{language}/accounts/reauthenticate/"
    assert page.locator(".messages .message-warning").count() == 1
    form = page.locator("main form")
    form.locator("[name=password]").fill(PASSWORD)
    page = visitor.click_and_land(form.locator("[type=submit]"), "activate")
    assert path_of(page) == f"/{language}/accounts/2fa/totp/activate/"
    secret = page.locator("#authenticator_secret").input_value()

    # A wrong code is refused and nothing is activated.
    right = fresh_totp_code(secret)
    page = send_code(visitor, f"{(int(right) + 1) % 10**6:06d}", "wrong-code")
    assert path_of(page) == f"/{language}/accounts/2fa/totp/activate/"
    assert not Authenticator.objects.filter(user=admin_user).exists()

    # The right one activates it; the recovery codes are shown next.
    page = send_code(visitor, fresh_totp_code(secret), "recovery-codes")
    assert path_of(page) == f"/{language}/accounts/2fa/recovery-codes/"
    codes = page.locator("#recovery_codes").input_value().split()
    assert len(codes) == 10
    page = visitor.goto("/admin/", "admin")
    assert path_of(page) == "/admin/"
    assert page.locator("body.wagtail-dashboard, main").count() >= 1

    # On another device: password, then a recovery code instead of the app.
    other = open_visitor("mfa-recovery", language, viewport)
    page = sign_in(other, admin_user.email)
    assert path_of(page) == f"/{language}/accounts/2fa/authenticate/"
    page = send_code(other, codes[0], "admin-by-recovery-code")
    assert path_of(page) == "/admin/"

    # A third device: the same recovery code is refused, the app's code works.
    third = open_visitor("mfa-reused", language, viewport)
    page = sign_in(third, admin_user.email)
    page = send_code(third, codes[0], "recovery-code-reused")
    assert path_of(page) == f"/{language}/accounts/2fa/authenticate/"
    assert page.locator("main form .errorlist, main form [role=alert]").count() >= 1
    page = send_code(third, fresh_totp_code(secret), "admin-by-app")
    assert path_of(page) == "/admin/"
