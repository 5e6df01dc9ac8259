from io import BytesIO

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.utils import translation

from relais.mail import mail_context, recipient_language
from relais.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Links in emails point at SITE_URL, the public address of the site;
    allauth's rate limits see the same client address as Relais's own.

    allauth's mails (verification, password reset, …) are written in the
    recipient's language (relais.mail: their profile's, else the page's
    they were on) and greet them by name; the overridden templates under
    templates/account/email/ sign with the site's name where allauth's
    gave the host name of the sites framework ("Hello from 127.0.0.1")."""

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        from accounts.models import User

        user = context.get("user")
        if not isinstance(user, User):
            user = User.objects.filter(email__iexact=email).first()
        language = recipient_language(user=user, fallback=translation.get_language())
        with translation.override(language):
            super().send_mail(
                template_prefix, email, {**mail_context(user=user), **context}
            )

    def get_client_ip(self, request):
        return client_ip(request)

    def get_email_confirmation_url(self, request, emailconfirmation):
        url = super().get_email_confirmation_url(request, emailconfirmation)
        if request is None:
            return settings.SITE_URL + url if url.startswith("/") else url
        return url


class MFAAdapter(DefaultMFAAdapter):
    """The authenticator app's QR code is drawn by segno, which already draws
    the certificates' codes, rather than by the qrcode package allauth would
    otherwise import."""

    def build_totp_svg(self, url: str) -> str:
        buffer = BytesIO()
        segno.make(url, error="m").save(buffer, kind="svg", scale=4, xmldecl=False)
        return buffer.getvalue().decode()
