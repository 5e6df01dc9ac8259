"""Creating, editing and deleting users and groups changes who may do what,
so each asks the staff member to confirm it is them when the form is sent
(the form itself shows without asking). The forms say what each role can
do; an account staff create has its address confirmed, and without a
password from staff the person is mailed a link to choose one."""

from django.utils.decorators import method_decorator
from wagtail.users.views import groups, users

from accounts import services
from accounts.decorators import staff_reauthentication_required

from .forms import StaffUserCreationForm, StaffUserEditForm

confirm_on_send = method_decorator(
    staff_reauthentication_required(allow_get=True), name="dispatch"
)


@confirm_on_send
class UserCreateView(users.CreateView):
    def save_instance(self):
        user = super().save_instance()
        services.staff_account_created(
            user=user, password_given=bool(self.form.cleaned_data.get("password1"))
        )
        return user


@confirm_on_send
class UserEditView(users.EditView):
    def save_instance(self):
        user = super().save_instance()
        if "email" in self.form.changed_data:
            services.address_vouched(user=user)
        return user


@confirm_on_send
class UserDeleteView(users.DeleteView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView

    def get_form_class(self, for_update=False):
        return StaffUserEditForm if for_update else StaffUserCreationForm


@confirm_on_send
class GroupCreateView(groups.CreateView):
    pass


@confirm_on_send
class GroupEditView(groups.EditView):
    pass


@confirm_on_send
class GroupDeleteView(groups.DeleteView):
    pass


class GroupViewSet(groups.GroupViewSet):
    add_view_class = GroupCreateView
    edit_view_class = GroupEditView
    delete_view_class = GroupDeleteView
