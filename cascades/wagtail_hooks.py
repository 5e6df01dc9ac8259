from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic import CreateView, DeleteView
from wagtail.admin.viewsets.model import ModelViewSet

from . import admin_urls, services
from .models import TrainerQualification


class QualificationCreateView(CreateView):
    def save_instance(self):
        instance = self.form.instance
        return services.qualification_grant(
            user=instance.user, course=instance.course, granted_by=self.request.user
        )


class QualificationWithdrawView(DeleteView):
    """'Delete' withdraws: the record and the cascade it started stay."""

    page_title = _("Withdraw qualification")
    success_message = _("Qualification '%(object)s' withdrawn.")

    def delete_action(self):
        services.qualification_withdraw(
            qualification=self.object, withdrawn_by=self.request.user
        )


class TrainerQualificationViewSet(ModelViewSet):
    model = TrainerQualification
    icon = "user"
    menu_label = _("Trainers")
    add_to_admin_menu = True
    menu_order = 320
    form_fields = ["user", "course"]
    list_display = ["user", "course", "granted_at", "withdrawn_at"]
    list_filter = ["course", "withdrawn_at"]
    add_view_class = QualificationCreateView
    delete_view_class = QualificationWithdrawView


@hooks.register("register_admin_viewset")
def register_qualifications():
    return TrainerQualificationViewSet("trainer_qualifications")


@hooks.register("register_admin_urls")
def register_cascade_urls():
    return [path("cascades/", include(admin_urls, namespace="cascades_admin"))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_staff


@hooks.register("register_admin_menu_item")
def register_cascade_menu_item():
    return StaffMenuItem(
        _("Trainer cascades"),
        reverse("cascades_admin:report"),
        name="trainer-cascades",
        icon_name="site",
        order=330,
    )
