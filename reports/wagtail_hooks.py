from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import can_view_reports

# The report URLs are mounted in relais/urls.py, ahead of Wagtail's admin
# (see reports/access.py).


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_reports(request.user)


REPORT_MENU = [
    ("enrolments", _("Enrolments"), "group"),
    ("completion", _("Completion"), "tick-inverse"),
    ("certificates", _("Certificates"), "doc-full"),
    ("cascades", _("Cascades"), "site"),
    ("export_jobs", _("Exports"), "download"),
]


# Wagtail's own "Reports" menu: our items appear there, for programme staff only.
def _register(name, label, icon, order):
    @hooks.register("register_reports_menu_item")
    def register():
        return ReportMenuItem(
            label,
            reverse(f"relais_reports:{name}"),
            name=f"programme-{name}",
            icon_name=icon,
            order=order,
        )


for position, (name, label, icon) in enumerate(REPORT_MENU):
    _register(name, label, icon, 10 + position)
