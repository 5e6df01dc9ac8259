"""Emails enrolment sends: subject, text and HTML templates under
templates/enrolment/emails/. Called from transaction.on_commit or a Celery
task, so outside the recipient's request: the recipient's language is
activated around the rendering (relais.mail says which)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from relais.mail import mail_context


def send_templated(
    *, to: str, name: str, context: dict, language: str = "", user=None
) -> None:
    """Render and send `name` to `to`, in `language`, greeting `user` (the
    recipient's account, if they have one) by name."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **mail_context(user=user), **context}
        subject = render_to_string(f"enrolment/emails/{name}_subject.txt", context)
        text = render_to_string(f"enrolment/emails/{name}.txt", context)
        html = render_to_string(f"enrolment/emails/{name}.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()), body=text, to=[to]
    )
    message.attach_alternative(html, "text/html")
    message.send()
