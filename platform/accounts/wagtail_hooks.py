from wagtail import hooks
from wagtail.users.views.bulk_actions.user_bulk_action import UserBulkAction

from .decorators import staff_reauthentication_check


@hooks.register("before_bulk_action")
def confirm_before_bulk_user_changes(request, action_type, objects, action):
    """Wagtail's bulk actions on users (assign a role, deactivate, delete)
    change roles too: the same confirmation as the user forms."""
    if isinstance(action, UserBulkAction):
        staff_reauthentication_check(request)
