from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [path("certificates/", include(admin_urls, namespace="certificates_admin"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_certificates_menu_item():
    return StaffMenuItem(
        _("Certificates"),
        reverse("certificates_admin:list"),
        name="certificates",
        icon_name="doc-full",
        order=350,
    )
