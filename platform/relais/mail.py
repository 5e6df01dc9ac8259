"""Who an email speaks to, and in which language.

Every email Relais sends is written in its recipient's language: the one
chosen on their profile, else the language of the cohort the email is
about, else the site's default. Mails are rendered outside the recipient's
request (a Celery task, or someone else's request: a trainer's invitation,
an administrator's import), so the sender activates that language around
the rendering of subject and body (`translation.override`).

Emails greet the person by name when there is one and are signed with the
site's name (`WAGTAIL_SITE_NAME`), never the host name Django's sites
framework would give (allauth's templates said "Hello from 127.0.0.1:8811")."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation


def site_name() -> str:
    return getattr(settings, "WAGTAIL_SITE_NAME", "") or "Relais"


def _supported(code: str | None) -> str:
    code = (code or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else ""


def recipient_language(*, user=None, cohort=None, fallback: str = "") -> str:
    """The language to write to `user` in: their profile's, else the
    cohort's, else `fallback` (the page a visitor without an account was
    reading), else the site's default."""
    return (
        _supported(getattr(user, "preferred_language", ""))
        or _supported(getattr(cohort, "language", ""))
        or _supported(fallback)
        or settings.LANGUAGE_CODE
    )


def greeting_name(user) -> str:
    """What to call the person in "Hello …,": their first name, else their
    full name; "" (a plain "Hello,") for an address without an account."""
    if user is None:
        return ""
    return (user.first_name or "").strip() or user.get_full_name().strip()


def mail_context(*, user=None) -> dict:
    """The names every email template uses for its greeting and signature."""
    return {"greeting_name": greeting_name(user), "site_name": site_name()}


def send_templated(
    *, to: str, template: str, context: dict, language: str = "", user=None
) -> None:
    """Render `template`'s subject, text and HTML (`<template>_subject.txt`,
    `.txt`, `.html`) in `language` and send them to `to`, greeting `user`
    (the recipient's account, if they have one) by name."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **mail_context(user=user), **context}
        subject = render_to_string(f"{template}_subject.txt", context)
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    message.send()


def set_password_url(user, language: str) -> str:
    """A link that lets `user` choose a password (allauth's reset link, in
    `language`). Opening it proves the address: the password reset marks it
    verified (accounts/receivers.py)."""
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    with translation.override(language):
        path = reverse(
            "account_reset_password_from_key",
            kwargs={
                "uidb36": user_pk_to_url_str(user),
                "key": default_token_generator.make_token(user),
            },
        )
    return settings.SITE_URL + path
