"""Who may see the programme reports: superusers and the "Programme staff"
group (through the `reports.view_reports` permission it holds)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.template.response import TemplateResponse

PROGRAMME_STAFF_GROUP = "Programme staff"
REPORTS_PERMISSION = "reports.view_reports"


def can_view_reports(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(REPORTS_PERMISSION))
    )


def reports_staff_required(view):
    """Anonymous: login redirect. Anyone else without the right: 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_view_reports(request.user):
            return TemplateResponse(request, "reports/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped
