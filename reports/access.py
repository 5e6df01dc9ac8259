"""Who may see the programme reports: superusers and the "Programme staff"
group (through the `reports.view_reports` and Wagtail admin access
permissions it holds).

The report URLs sit under /admin/ but are mounted ahead of Wagtail's admin
(relais/urls.py), so that this check, not Wagtail's, answers: a signed-in
participant or trainer gets a 403 here, where Wagtail would send them back
to the login page."""

from __future__ import annotations

from functools import wraps

from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from wagtail.admin.auth import reject_request
from wagtail.admin.localization import get_localized_response

PROGRAMME_STAFF_GROUP = "Programme staff"
REPORTS_PERMISSION = "reports.view_reports"
ADMIN_PERMISSION = "wagtailadmin.access_admin"


def can_view_reports(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser or user.has_perms([REPORTS_PERMISSION, ADMIN_PERMISSION])
        )
    )


def reports_staff_required(view):
    """Anonymous: login redirect. Anyone else without the right: 403.
    Programme staff: the view in their admin language and time zone, never
    cached (what Wagtail's admin does for its own views)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            # The admin's sign-in, as for every other /admin/ URL.
            return reject_request(request)
        if not can_view_reports(request.user):
            return TemplateResponse(request, "reports/forbidden.html", status=403)
        response = get_localized_response(view, request, *args, **kwargs)
        add_never_cache_headers(response)
        return response

    return wrapped
