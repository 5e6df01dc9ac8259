"""Wagtail's user forms, saying what each role can do beside its checkbox,
and letting staff leave the password blank to email the person a link to
choose their own."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

# By group name: Wagtail's two groups, and the two Relais creates
# (courses/roles.py, reports' migration 0002).
ROLE_DESCRIPTIONS = {
    "Course editors": _(
        "write and publish courses, modules and lessons in every language, "
        "translate them, add images and documents; may also submit for "
        "moderation"
    ),
    "Editors": _("write pages and submit them for moderation; cannot publish"),
    "Moderators": _(
        "write, publish and approve any page, including those submitted for moderation"
    ),
    "Programme staff": _(
        "see the programme's reports and download their exports; no page editing"
    ),
}
NO_DESCRIPTION = _("permissions as set under Settings → Groups")


def role_label(group) -> str:
    description = ROLE_DESCRIPTIONS.get(group.name, NO_DESCRIPTION)
    return _("%(role)s: %(description)s") % {
        "role": group.name,
        "description": description,
    }


class RolesDescribed:
    def describe_roles(self) -> None:
        groups = self.fields.get("groups")  # type: ignore[attr-defined]
        if groups is not None:
            groups.label_from_instance = role_label
            groups.help_text = _(
                "What each role can do is said beside it. Administrators (above) "
                "can do everything."
            )


class StaffUserCreationForm(RolesDescribed, UserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_roles()
        if "password1" in self.fields:
            self.fields["password1"].help_text = _(
                "Leave both password fields blank to email them a link to choose "
                "their own. Either way, their address counts as confirmed."
            )


class StaffUserEditForm(RolesDescribed, UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describe_roles()
