"""Two factors (docs/security.md): staff who can open /admin/ set up a second
factor first (accounts.middleware.StaffSecondFactorMiddleware), code entry
is rate-limited, participants may opt in from their profile, and staff
confirm it is them before sensitive actions
(accounts.decorators.staff_reauthentication_required)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.urls import path

from accounts.decorators import staff_reauthentication_required
from tests.conftest import PASSWORD, _make_user
from tests.totp import fresh_totp_code

ROOT = Path(__file__).resolve().parents[2]
ACTIVATE = "/en/accounts/2fa/totp/activate/"
REAUTHENTICATE = "/en/accounts/reauthenticate/"
MFA_AUTHENTICATE = "/en/accounts/2fa/authenticate/"


# --- A dummy staff action behind the decorator --------------------------------

ACTIONS: list[tuple[str, str]] = []


@staff_reauthentication_required
def revoke_something(request):
    ACTIONS.append((request.method, request.POST.get("reason", "")))
    return HttpResponse("done")


@staff_reauthentication_required(allow_get=True)
def confirm_then_revoke(request):
    ACTIONS.append((request.method, request.POST.get("reason", "")))
    return HttpResponse("done")


def _urlpatterns():
    from relais.urls import urlpatterns as site

    return [
        path("staff-action/", revoke_something),
        path("staff-action/confirm/", confirm_then_revoke),
        *site,
    ]


urlpatterns = _urlpatterns()
with_staff_action = pytest.mark.urls(__name__)


@pytest.fixture(autouse=True)
def _no_actions_yet():
    ACTIONS.clear()


# --- Personas ---------------------------------------------------------------


@pytest.fixture
def mfa_required(settings):
    settings.RELAIS_STAFF_MFA_REQUIRED = True


@pytest.fixture
def programme_staff(db):
    user = _make_user("pat@example.org", first_name="Pat", last_name="Staff")
    user.groups.add(Group.objects.get(name="Programme staff"))
    return user


@pytest.fixture
def editor(db):
    user = _make_user("eddie@example.org", first_name="Eddie", last_name="Editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


@pytest.fixture(params=["admin_user", "programme_staff", "editor"])
def staff(request):
    """Each kind of person who can open /admin/: a superuser, programme
    staff (admin and reports), a Wagtail editor (admin only)."""
    return request.getfixturevalue(request.param)


def reauthenticate(client) -> None:
    response = client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert response.status_code == 302, response.content


def activate_totp(client, user) -> str:
    """Sign in as `user` and set up an authenticator app the way a person
    does; returns the secret shown on the page."""
    client.force_login(user)
    reauthenticate(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = secret_on(page)
    response = client.post(ACTIVATE, {"code": fresh_totp_code(secret)})
    assert response.status_code == 302, response.content
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    return secret


def secret_on(page) -> str:
    found = re.search(
        r'<input[^>]*id="authenticator_secret"[^>]*value="([A-Z2-7=]+)"'
        r'|<input[^>]*value="([A-Z2-7=]+)"[^>]*id="authenticator_secret"',
        page.content.decode(),
    )
    assert found, "no authenticator secret on the activation page"
    return found.group(1) or found.group(2)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- Staff must set up a second factor --------------------------------------


@pytest.mark.parametrize("url", ["/admin/", "/admin/programme-reports/"])
def test_staff_without_a_second_factor_are_sent_to_set_one_up(
    client, site, mfa_required, staff, url
):
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    assert any("second factor" in m for m in messages_of(response))


def test_a_post_to_the_admin_is_refused_the_same_way(
    client, site, mfa_required, admin_user
):
    client.force_login(admin_user)
    response = client.post("/admin/pages/add/", {"title": "Nope"})
    assert response.status_code == 302
    assert response["Location"] == ACTIVATE


def test_staff_with_an_authenticator_app_reach_the_admin_and_the_reports(
    client, site, mfa_required, programme_staff
):
    activate_totp(client, programme_staff)
    assert client.get("/admin/").status_code == 200
    reports = client.get("/admin/programme-reports/", follow=True)
    assert reports.status_code == 200
    assert reports.redirect_chain[-1][0].startswith("/admin/programme-reports/")


def test_staff_pages_outside_the_admin_are_left_alone(
    client, site, mfa_required, admin_user
):
    client.force_login(admin_user)
    assert client.get("/en/profile/").status_code == 200
    assert client.get("/en/dashboard/").status_code == 200


def test_signing_out_of_the_admin_stays_open(client, site, mfa_required, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert response["Location"] != ACTIVATE
    assert "_auth_user_id" not in client.session


def test_a_participant_is_never_sent_to_set_up_a_second_factor(
    client, site, mfa_required, participant
):
    client.force_login(participant)
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"] != ACTIVATE
    assert client.get("/admin/programme-reports/").status_code == 403
    assert client.get("/en/dashboard/").status_code == 200


def test_visitors_get_the_sign_in_page_not_the_second_factor_one(
    client, site, mfa_required
):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_with_the_rule_off_staff_reach_the_admin_without_a_second_factor(
    client, site, settings, staff
):
    settings.RELAIS_STAFF_MFA_REQUIRED = False
    client.force_login(staff)
    assert client.get("/admin/").status_code == 200


def test_the_rule_is_on_by_default_in_production_and_can_be_turned_off():
    def production_value(**env_extra) -> str:
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        }
        env.update(
            SECRET_KEY="x" * 20 + "a-long-random-production-secret-key-0123456789",
            ALLOWED_HOSTS="relais.example.org",
            SITE_URL="https://relais.example.org",
            EMAIL_HOST="smtp.example.org",
            RELAIS_CREDENTIALS="false",
            **env_extra,
        )
        # The settings module alone (no django.setup()): quick even on a
        # loaded machine.
        result = subprocess.run(
            [
                sys.executable,
                "-c",
                "import relais.settings.production as s; "
                "print(s.RELAIS_STAFF_MFA_REQUIRED)",
            ],
            cwd=ROOT / "platform",
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    assert production_value() == "True"
    # Off only with the loopback opt-out (test_foundation: refused without it).
    assert (
        production_value(RELAIS_STAFF_MFA_REQUIRED="false", RELAIS_LOCAL_HTTP="true")
        == "False"
    )


# --- Setting up, and signing in with, an authenticator app ------------------


def test_the_activation_page_shows_a_qr_code_and_the_secret(client, site, admin_user):
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(ACTIVATE)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.content.decode()
    assert len(secret_on(page)) >= 32


def test_a_wrong_code_does_not_activate_the_authenticator_app(client, site, admin_user):
    client.force_login(admin_user)
    reauthenticate(client)
    secret = secret_on(client.get(ACTIVATE))
    wrong = f"{(int(fresh_totp_code(secret)) + 1) % 10**6:06d}"
    response = client.post(ACTIVATE, {"code": wrong})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=admin_user).exists()


def sign_in(client, user):
    client.logout()
    response = client.post(
        "/en/accounts/login/", {"login": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    return response


def test_signing_in_asks_for_the_code_once_it_is_set_up(client, site, admin_user):
    secret = activate_totp(client, admin_user)
    response = sign_in(client, admin_user)
    assert response["Location"] == MFA_AUTHENTICATE
    assert "_auth_user_id" not in client.session
    response = client.post(MFA_AUTHENTICATE, {"code": fresh_totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


def test_code_entry_is_refused_after_five_wrong_codes_even_with_the_right_one(
    client, site, admin_user
):
    secret = activate_totp(client, admin_user)
    sign_in(client, admin_user)
    for _ in range(5):
        wrong = client.post(MFA_AUTHENTICATE, {"code": "000000"})
        assert wrong.status_code == 200
    response = client.post(MFA_AUTHENTICATE, {"code": fresh_totp_code(secret)})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "too many" in html.unescape(response.content.decode()).lower()


# --- Participants and trainers opt in ----------------------------------------


def test_the_profile_links_to_two_factor_authentication(client, site, participant):
    client.force_login(participant)
    page = client.get("/en/profile/")
    assert 'href="/en/accounts/2fa/"' in page.content.decode()
    assert client.get("/en/accounts/2fa/").status_code == 200


# --- Staff re-authentication before sensitive actions -------------------------


@with_staff_action
def test_a_sensitive_action_asks_a_fresh_sign_in_to_confirm_first(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/staff-action/", {"reason": "fraud"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert ACTIONS == []


@with_staff_action
def test_the_action_asked_for_runs_once_the_password_is_confirmed(client, admin_user):
    client.force_login(admin_user)
    client.post("/staff-action/", {"reason": "fraud"})
    response = client.post(
        f"{REAUTHENTICATE}?next=/staff-action/", {"password": PASSWORD}
    )
    assert response.status_code == 200
    assert response.content == b"done"
    assert ACTIONS == [("POST", "fraud")]


@with_staff_action
def test_a_wrong_password_does_not_run_the_action(client, admin_user):
    client.force_login(admin_user)
    client.post("/staff-action/", {"reason": "fraud"})
    response = client.post(
        f"{REAUTHENTICATE}?next=/staff-action/", {"password": "not-my-password"}
    )
    assert response.status_code == 200
    assert ACTIONS == []


@with_staff_action
def test_once_confirmed_the_next_actions_run_without_asking_again(client, admin_user):
    client.force_login(admin_user)
    reauthenticate(client)
    assert client.post("/staff-action/", {"reason": "one"}).content == b"done"
    assert client.get("/staff-action/").content == b"done"
    assert ACTIONS == [("POST", "one"), ("GET", "")]


@with_staff_action
def test_allow_get_shows_the_confirmation_page_and_asks_on_sending(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/staff-action/confirm/").content == b"done"
    response = client.post("/staff-action/confirm/", {"reason": "fraud"})
    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)
    assert ACTIONS == [("GET", "")]


@with_staff_action
def test_a_visitor_is_sent_to_sign_in_not_to_confirm(client, site):
    response = client.post("/staff-action/", {"reason": "fraud"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert ACTIONS == []


@with_staff_action
def test_staff_with_an_authenticator_app_may_confirm_with_a_code(
    client, site, admin_user
):
    secret = activate_totp(client, admin_user)
    client.logout()
    client.force_login(admin_user)
    client.post("/staff-action/", {"reason": "fraud"})
    response = client.post(
        "/en/accounts/2fa/reauthenticate/?next=/staff-action/",
        {"code": fresh_totp_code(secret)},
    )
    assert response.content == b"done"
    assert ACTIONS == [("POST", "fraud")]


# --- Data rights ------------------------------------------------------------


def test_the_data_export_lists_second_factors_without_their_secrets(
    client, site, admin_user
):
    from accounts.services import user_data_export

    secret = activate_totp(client, admin_user)
    data = user_data_export(user=admin_user)
    factors = data["profile"]["second_factors"]
    assert sorted(f["type"] for f in factors) == ["recovery_codes", "totp"]
    assert secret not in str(data)


def test_deleting_an_account_removes_its_second_factors(client, site, admin_user):
    from accounts.services import user_anonymise

    activate_totp(client, admin_user)
    user_anonymise(user=admin_user)
    assert not Authenticator.objects.filter(user=admin_user).exists()


def test_the_activation_page_offers_a_security_key_instead(client, site, admin_user):
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(ACTIVATE).content.decode()
    assert 'href="/en/accounts/2fa/webauthn/add/"' in page
    assert client.get("/en/accounts/2fa/webauthn/add/").status_code == 200
