"""The Content-Security-Policy middleware: django-csp's, with the few sources
Wagtail's admin needs added on the admin's URLs only (docs/security.md).

Everything Relais renders itself keeps the strict policy of
`CONTENT_SECURITY_POLICY`. Wagtail 8's admin writes inline scripts that
cannot carry a nonce (date and time pickers are widget templates rendered
without the request, and its JavaScript re-inserts scripts of swapped
fragments) and sets inline styles, so its URLs get `RELAIS_ADMIN_CSP_UPDATE`
on top. A page preview is a page as visitors get it, so it keeps the strict
policy: an editor sees there what the public site would refuse. Subclassing
and extending `get_policy_parts` is django-csp's documented way to vary the
policy."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.urls import NoReverseMatch, reverse


def admin_prefix() -> str | None:
    try:
        return reverse("wagtailadmin_home")
    except NoReverseMatch:
        return None


# Wagtail's views that render a page with the site's own templates.
PAGE_PREVIEW_VIEWS = {
    "wagtailadmin_pages:preview_on_add",
    "wagtailadmin_pages:preview_on_edit",
    "wagtailadmin_pages:view_draft",
}


def admin_policy_applies(request: HttpRequest) -> bool:
    prefix = admin_prefix()
    if prefix is None or not request.path_info.startswith(prefix):
        return False
    match = getattr(request, "resolver_match", None)
    return match is None or match.view_name not in PAGE_PREVIEW_VIEWS


# allauth's authenticator-app page shows its QR code as a data: image.
QR_CODE_VIEWS = {"mfa_activate_totp"}


def qr_code_page(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name in QR_CODE_VIEWS


class RelaisCSPMiddleware(CSPMiddleware):
    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if admin_policy_applies(request):
            extra = getattr(settings, "RELAIS_ADMIN_CSP_UPDATE", {})
            parts.update = {**extra, **(parts.update or {})}
        elif qr_code_page(request):
            parts.update = {"img-src": ["data:"], **(parts.update or {})}
        return parts
