import re

import pytest
from django.core import mail

from accounts.models import User


@pytest.fixture
def signup_data():
    return {
        "email": "Jose.Nunez@example.org",
        "first_name": "José",
        "last_name": "Núñez Peña",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        "country": "CR",
        "institution": "Dirección General de Migración",
        "organisation_type": "government",
    }


def test_signup_sends_verification_then_confirm_logs_in(client, site, signup_data):
    response = client.post("/en/accounts/signup/", signup_data)
    assert response.status_code == 302
    user = User.objects.get(email__iexact="jose.nunez@example.org")
    assert user.first_name == "José" and user.country.code == "CR"
    assert user.preferred_language == "en"
    # Mandatory verification: not logged in yet.
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1
    link = re.search(
        r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body
    path = re.sub(r"^https?://[^/]+", "", link.group(0))
    assert client.get(path).status_code == 200
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_link_confirmed_in_another_browser_leads_back_to_the_course(
    client, site, signup_data
):
    """Issue 18, item 6: signed up while enrolling, confirmed from a phone's
    mail app (another browser, no session): asked to sign in there, then on
    to the course the visitor was enrolling in."""
    from django.test import Client

    course_path = "/en/courses/integration/"
    client.post(f"/en/accounts/signup/?next={course_path}", signup_data)
    link = re.search(
        r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body
    )
    assert link
    phone = Client()
    response = phone.post(re.sub(r"^https?://[^/]+", "", link.group(0)))
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith("/en/accounts/login/") or login_url.startswith(
        "/accounts/login/"
    ), login_url
    assert "next=%2Fen%2Fcourses%2Fintegration%2F" in login_url
    response = phone.post(
        login_url,
        {"login": signup_data["email"], "password": signup_data["password1"]},
    )
    assert response.status_code == 302 and response["Location"] == course_path
    # Once: the next confirmation (another address) does not lead there again.
    assert User.objects.get(email__iexact=signup_data["email"]).signup_next == ""


def test_signup_keeps_only_a_local_next(client, site, signup_data):
    client.post("/en/accounts/signup/?next=https://evil.example/", signup_data)
    assert User.objects.get(email__iexact=signup_data["email"]).signup_next == ""


def test_login_refused_until_email_is_verified(client, site, signup_data):
    client.post("/en/accounts/signup/", signup_data)
    client.logout()
    response = client.post(
        "/en/accounts/login/",
        {"login": signup_data["email"], "password": signup_data["password1"]},
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]


def test_signup_without_a_name_changes_nothing(client, site, signup_data):
    signup_data["first_name"] = ""
    response = client.post("/en/accounts/signup/", signup_data)
    assert response.status_code == 200
    assert not User.objects.filter(email__iexact=signup_data["email"]).exists()
    assert mail.outbox == []


def test_repeated_bad_logins_are_rate_limited(client, participant, site):
    for _ in range(5):
        response = client.post(
            "/en/accounts/login/", {"login": participant.email, "password": "wrong"}
        )
        assert "Too many failed login attempts" not in response.content.decode()
    response = client.post(
        "/en/accounts/login/", {"login": participant.email, "password": "wrong"}
    )
    assert "Too many failed login attempts" in response.content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(
        "/en/accounts/login/",
        {"login": participant.email, "password": "correct-horse-battery"},
    )
    assert "_auth_user_id" not in client.session
    assert "Too many failed login attempts" in response.content.decode()


def test_verified_user_logs_in_with_email(client, participant, site):
    response = client.post(
        "/en/accounts/login/",
        {"login": "ALICE@example.org", "password": "correct-horse-battery"},
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(participant.pk)


def test_password_reset_mails_a_link(client, participant, site):
    response = client.post("/en/accounts/password/reset/", {"email": participant.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_profile_edit_saves_and_requires_login(client, participant, site):
    assert client.get("/en/profile/").status_code == 302
    client.force_login(participant)
    response = client.post(
        "/en/profile/",
        {
            "first_name": "Alice",
            "last_name": "Mbeki",
            "country": "KG",
            "institution": "State Migration Service",
            "organisation_type": "government",
            "preferred_language": "ru",
            "gender": "woman",
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.country.code == "KG" and participant.gender == "woman"


def test_profile_rejects_an_unknown_country(client, participant, site):
    client.force_login(participant)
    response = client.post(
        "/en/profile/",
        {
            "first_name": "Alice",
            "last_name": "Mbeki",
            "country": "XX",
            "gender": "woman",
        },
    )
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.country.code == "UG"


def test_gender_defaults_to_prefer_not_to_say(db):
    user = User.objects.create_user(email="new@example.org", password="x" * 12)
    assert user.gender == User.Gender.NOT_STATED


def test_wagtails_own_password_reset_is_switched_off(client, participant, site):
    for path in ("/admin/password_reset/", "/admin/password_reset/done/"):
        response = client.post(path, {"email": participant.email}, follow=True)
        assert response.status_code == 404
    assert mail.outbox == []


def test_profile_saves_the_save_data_choice(client, participant, site):
    client.force_login(participant)
    response = client.post(
        "/en/profile/",
        {
            "first_name": "Alice",
            "last_name": "Mbeki",
            "country": "UG",
            "organisation_type": "government",
            "preferred_language": "en",
            "gender": "woman",
            "save_data": "on",
        },
    )
    assert response.status_code == 302
    participant.refresh_from_db()
    assert participant.save_data is True


def test_profile_with_bad_input_leaves_save_data_unchanged(client, participant, site):
    client.force_login(participant)
    response = client.post(
        "/en/profile/",
        {"first_name": "Alice", "country": "XX", "gender": "?", "save_data": "on"},
    )
    assert response.status_code == 200 and b"errorlist" in response.content
    participant.refresh_from_db()
    assert participant.save_data is False
