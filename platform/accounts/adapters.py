from io import BytesIO

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from relais.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Links in emails point at SITE_URL, the public address of the site;
    allauth's rate limits see the same client address as Relais's own."""

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
