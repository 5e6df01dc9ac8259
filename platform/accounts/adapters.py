from io import BytesIO
from urllib.parse import urlencode

import segno
from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

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

    def save_user(self, request, user, form, commit=True):
        """Keep where the visitor was going (allauth's `next`), so that the
        confirmation link brings them back there from any browser."""
        goal = request.POST.get("next") or request.GET.get("next") or ""
        if goal.startswith("/") and url_has_allowed_host_and_scheme(
            goal, allowed_hosts=None
        ):
            user.signup_next = goal[:500]
        return super().save_user(request, user, form, commit=commit)

    def get_email_verification_redirect_url(self, email_address) -> str:
        """After confirming: where the visitor was going at sign-up, once.
        Confirmed in another browser (a phone's mail app), they are asked to
        sign in there and then go on to it; without one, allauth's choice."""
        from accounts.models import User

        goal = email_address.user.signup_next
        if not goal:
            return super().get_email_verification_redirect_url(email_address)
        User.objects.filter(pk=email_address.user_id).update(signup_next="")
        if self.request.user.is_authenticated:
            return goal
        return f"{reverse('account_login')}?{urlencode({'next': goal})}"

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
