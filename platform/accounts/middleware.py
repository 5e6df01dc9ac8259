"""Request middleware of accounts.

UserLanguageMiddleware makes a signed-in user's language choice stick across
devices: the profile's language is copied into the session at login, and
from there into the language cookie that Django's LocaleMiddleware reads.

StaffSecondFactorMiddleware keeps staff without a second factor out of the
admin (docs/security.md "Two factors")."""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_KEY = "relais_language"
ADMIN_PREFIX = "/admin/"
# Either lets a person into /admin/: Wagtail's admin, or the programme reports
# mounted under /admin/programme-reports/ (reports/access.py).
STAFF_PERMISSIONS = ("wagtailadmin.access_admin", "reports.view_reports")


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie_name = settings.LANGUAGE_COOKIE_NAME
        chosen = getattr(request, "session", {}).get(SESSION_KEY)
        set_cookie = False
        if chosen and request.COOKIES.get(cookie_name) != chosen:
            request.COOKIES[cookie_name] = chosen
            set_cookie = True
        response = self.get_response(request)
        if set_cookie:
            response.set_cookie(
                cookie_name,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
        return response


def is_staff_member(user) -> bool:
    """Can this signed-in user open anything under /admin/?"""
    return user.is_active and any(user.has_perm(perm) for perm in STAFF_PERMISSIONS)


def needs_second_factor(user) -> bool:
    """A staff member without an authenticator, while the rule is on."""
    return (
        settings.RELAIS_STAFF_MFA_REQUIRED
        and user.is_authenticated
        and is_staff_member(user)
        and not get_mfa_adapter().is_mfa_enabled(user)
    )


class StaffSecondFactorMiddleware:
    """Any /admin/ URL asked for by a staff member who has no second factor
    yet sends them to allauth's authenticator-app activation, with a message
    saying why. Other URLs, other people and staff with a second factor pass
    untouched; signing out of the admin stays open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path.startswith(ADMIN_PREFIX)
            and request.path != reverse("wagtailadmin_logout")
            and needs_second_factor(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Your account can open the admin, where personal data is "
                    "kept: set up a second factor (an authenticator app) "
                    "before you continue."
                ),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
