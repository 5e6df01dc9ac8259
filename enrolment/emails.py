"""Emails enrolment sends: subject, text and HTML templates under
templates/enrolment/emails/. Called from transaction.on_commit."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(*, to: str, name: str, context: dict, language: str = "") -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"enrolment/emails/{name}_subject.txt", context)
        text = render_to_string(f"enrolment/emails/{name}.txt", context)
        html = render_to_string(f"enrolment/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    message.send()
