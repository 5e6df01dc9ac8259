"""Cohorts and enrolments in the Wagtail admin: listed, searched, filtered;
enrol, withdraw and move through the services; bulk CSV import."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_views
from .admin_forms import EnrolmentAdminForm
from .models import Cohort, Enrolment


class CohortViewSet(ModelViewSet):
    model = Cohort
    icon = "group"
    menu_label = _("Cohorts")
    list_display = [
        "name",
        "course",
        "country",
        "institution",
        "trainer",
        "capacity",
        "starts_on",
    ]
    list_filter = ["course", "country", "mode", "language"]
    search_fields = ["name", "institution", "enrolment_key"]
    form_fields = [
        "course",
        "name",
        "country",
        "institution",
        "language",
        "starts_on",
        "ends_on",
        "mode",
        "enrolment_key",
        "capacity",
        "trainer",
        "parent",
    ]
    add_view_class = admin_views.CohortCreateView
    edit_view_class = admin_views.CohortEditView
    ordering = ["-created_at"]


class EnrolmentViewSet(ModelViewSet):
    model = Enrolment
    icon = "user"
    menu_label = _("Enrolments")
    list_display = [
        "user",
        "course",
        "cohort",
        "status",
        "source",
        "enrolled_at",
        "completed_at",
    ]
    list_filter = ["course", "cohort", "status", "user__country"]
    search_fields = [
        "user__email",
        "user__first_name",
        "user__last_name",
        "user__institution",
    ]
    form_class = EnrolmentAdminForm
    edit_view_class = admin_views.EnrolmentEditView
    add_view_class = admin_views.EnrolmentCreateView
    ordering = ["-enrolled_at"]

    def get_form_class(self, for_update=False):
        return EnrolmentAdminForm


class EnrolmentGroup(ViewSetGroup):
    menu_label = _("Enrolment")
    menu_icon = "group"
    menu_order = 250
    items = (CohortViewSet("cohorts"), EnrolmentViewSet("enrolments"))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return EnrolmentGroup()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "enrolment/enrol/",
            admin_views.enrol_participant,
            name="enrolment_admin_enrol",
        ),
        path(
            "enrolment/import/",
            admin_views.import_participants,
            name="enrolment_admin_import",
        ),
        path(
            "enrolment/import/<int:pk>/",
            admin_views.import_job,
            name="enrolment_admin_import_job",
        ),
        path(
            "enrolment/requests/",
            admin_views.enrolment_requests,
            name="enrolment_admin_requests",
        ),
    ]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff or request.user.is_superuser


@hooks.register("register_admin_menu_item")
def enrol_menu_item():
    return StaffMenuItem(
        _("Enrol a participant"),
        reverse("enrolment_admin_enrol"),
        icon_name="plus",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def import_menu_item():
    return StaffMenuItem(
        _("Import participants"),
        reverse("enrolment_admin_import"),
        icon_name="upload",
        order=252,
    )


@hooks.register("register_admin_menu_item")
def requests_menu_item():
    return StaffMenuItem(
        _("Enrolment requests"),
        reverse("enrolment_admin_requests"),
        icon_name="help",
        order=253,
    )
