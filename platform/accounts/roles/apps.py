from wagtail.users.apps import WagtailUsersAppConfig


class UsersAdminConfig(WagtailUsersAppConfig):
    """Wagtail's own users app, pointed at our viewsets (Wagtail's documented
    way to customise them)."""

    user_viewset = "accounts.roles.viewsets.UserViewSet"
    group_viewset = "accounts.roles.viewsets.GroupViewSet"
