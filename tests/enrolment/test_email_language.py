"""Every email in its recipient's language (profile, else cohort, else the
site's), greeting them by name, signed with the site's name and never with
a host name: allauth's verification and password reset, the imported
participants' welcome, the invitation."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from accounts.models import User
from enrolment import services
from enrolment.services.imports import import_dry_run, import_start
from tests.factories import make_cohort

HOSTS = ("127.0.0.1", "testserver", "example.com", "localhost")
HEADER = "email,first name,last name,country,institution,cohort\n"


def text_without_links(message) -> str:
    """Subject and body (and the HTML part), links taken out: the links must
    name the host, the words must not."""
    parts = [message.subject, message.body]
    parts += [content for content, _mime in getattr(message, "alternatives", [])]
    return re.sub(r"https?://\S+", "", "\n".join(parts))


def assert_signed_without_host(message) -> None:
    text = text_without_links(message)
    assert "Relais" in text
    for host in HOSTS:
        assert host not in text, (host, text)


def signup(client, language, **fields):
    data = {
        "email": "nadia@example.org",
        "first_name": "Nadia",
        "last_name": "Haddad",
        "password1": "a-long-enough-passphrase-42",
        "password2": "a-long-enough-passphrase-42",
        **fields,
    }
    response = client.post(f"/{language}/accounts/signup/", data)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    return mail.outbox[0]


@pytest.mark.parametrize(
    ("language", "greeting", "words"),
    [
        ("fr", "Bonjour Nadia,", ["Pour confirmer votre adresse e-mail sur Relais"]),
        ("ru", "Здравствуйте, Nadia!", ["Чтобы подтвердить адрес"]),
        ("ar", "مرحبًا Nadia،", ["لتأكيد عنوان بريدك الإلكتروني على Relais"]),
        ("en", "Hello Nadia,", ["To confirm your email address for Relais"]),
    ],
)
def test_the_verification_mail_is_in_the_sign_up_language(
    client, site, language, greeting, words
):
    message = signup(client, language)
    assert message.body.startswith(greeting)
    for word in words:
        assert word in message.body
    assert f"/{language}/accounts/confirm-email/" in message.body
    assert message.subject.startswith("[Relais] ")
    if language != "en":
        assert "Email Address" not in message.subject
        assert "Hello" not in message.body
    assert_signed_without_host(message)


def test_the_signature_is_the_site_name_in_the_language(client, site):
    body = signup(client, "ru").body
    assert body.rstrip().endswith("Команда Relais")


def test_a_password_reset_is_in_the_profile_language_not_the_page(client, participant):
    """Asked for from an English page, written in the language the person
    chose on their profile."""
    participant.preferred_language = "ru"
    participant.save()
    client.post("/en/accounts/password/reset/", {"email": participant.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.body.startswith("Здравствуйте, Alice!")
    assert "/accounts/password/reset/key/" in message.body
    assert "password" not in text_without_links(message).lower()
    assert_signed_without_host(message)


def _import(rows, actor, capture):
    data = (HEADER + "".join(rows)).encode()
    with capture(execute=True):
        dry_run = import_dry_run(data=data, default_cohort=None, actor=actor)
        assert dry_run.ok, dry_run.bad
        import_start(token=dry_run.job.token, actor=actor)


def test_imported_newcomers_are_welcomed_by_name_in_the_cohort_language(
    course, trainer, admin_user, django_capture_on_commit_callbacks
):
    cohort = make_cohort(course=course, name="Yaoundé", language="fr", trainer=trainer)
    _import(
        [f"marie@example.org,Marie,Ngono,CM,,{cohort.pk}\n"],
        admin_user,
        django_capture_on_commit_callbacks,
    )
    (message,) = mail.outbox
    assert message.body.startswith("Bonjour Marie,")
    assert "Vous avez été inscrit au cours" in message.body
    assert "Hello" not in message.body and "enrolled" not in message.body
    # Its links open the site in the same language.
    assert "/fr/accounts/password/reset/key/" in message.body
    assert message.body.rstrip().endswith("L’équipe Relais")
    assert "Bonjour Marie," in message.alternatives[0][0]
    assert 'lang="fr"' in message.alternatives[0][0]
    assert_signed_without_host(message)


def test_an_imported_account_gets_its_own_language_over_the_cohort(
    course, trainer, participant, admin_user, django_capture_on_commit_callbacks
):
    participant.preferred_language = "ru"
    participant.save()
    cohort = make_cohort(course=course, name="Paris", language="fr", trainer=trainer)
    _import(
        [f"{participant.email},,,,,{cohort.pk}\n"],
        admin_user,
        django_capture_on_commit_callbacks,
    )
    (message,) = mail.outbox
    assert message.body.startswith("Здравствуйте, Alice!")
    assert "/ru/accounts/login/" in message.body
    assert message.body.rstrip().endswith("Команда Relais")
    assert_signed_without_host(message)


def test_an_imported_account_in_arabic(
    course, trainer, admin_user, django_capture_on_commit_callbacks
):
    cohort = make_cohort(course=course, name="Tunis", language="ar", trainer=trainer)
    _import(
        [f"omar@example.org,عمر,الحسيني,TN,,{cohort.pk}\n"],
        admin_user,
        django_capture_on_commit_callbacks,
    )
    (message,) = mail.outbox
    assert message.body.startswith("مرحبًا عمر،")
    assert message.body.rstrip().endswith("فريق Relais")
    assert 'dir="rtl"' in message.alternatives[0][0]
    assert_signed_without_host(message)


def test_an_invitation_is_in_the_cohort_language_and_names_an_account_holder(
    course, trainer, participant, django_capture_on_commit_callbacks
):
    cohort = make_cohort(course=course, name="Lima", language="es", trainer=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            cohort=cohort, email=participant.email, invited_by=trainer
        )
        services.invitation_create(
            cohort=cohort, email="new.colleague@example.org", invited_by=trainer
        )
    known, unknown = sorted(mail.outbox, key=lambda m: m.to[0])
    assert known.to == [participant.email]
    assert known.body.startswith("Hola, Alice:")
    assert unknown.body.startswith("Hola:")
    for message in (known, unknown):
        assert "/es/" in message.body
        assert "invited" not in message.body and "Hello" not in message.body
        assert message.body.rstrip().endswith("El equipo de Relais")
        assert_signed_without_host(message)


def test_an_invitation_to_a_french_cohort_speaks_french(
    course, trainer, django_capture_on_commit_callbacks
):
    cohort = make_cohort(course=course, name="Dakar", language="fr", trainer=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            cohort=cohort, email="awa@example.org", invited_by=trainer
        )
    (message,) = mail.outbox
    assert message.subject.startswith("[Relais] ")
    assert "Vous êtes invité au cours" in message.subject
    assert message.body.startswith("Bonjour,")
    assert User.objects.filter(email="awa@example.org").count() == 0
    assert_signed_without_host(message)
