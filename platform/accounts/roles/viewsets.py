"""Creating, editing and deleting users and groups changes who may do what,
so each asks the staff member to confirm it is them when the form is sent
(the form itself shows without asking)."""

from django.utils.decorators import method_decorator
from wagtail.users.views import groups, users

from accounts.decorators import staff_reauthentication_required

confirm_on_send = method_decorator(
    staff_reauthentication_required(allow_get=True), name="dispatch"
)


@confirm_on_send
class UserCreateView(users.CreateView):
    pass


@confirm_on_send
class UserEditView(users.EditView):
    pass


@confirm_on_send
class UserDeleteView(users.DeleteView):
    pass


class UserViewSet(users.UserViewSet):
    add_view_class = UserCreateView
    edit_view_class = UserEditView
    delete_view_class = UserDeleteView


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
