"""The editor's form for courses, modules and lessons.

Wagtail puts a clash of addresses ("The slug is already in use") on the
Promote tab, away from the title the editor is typing, and an abandoned
draft (Wagtail 8 autosaves a new page as soon as it has a title) is the
usual cause. The form says so beside the title as well, naming the page
that holds the address and whether it is a draft nobody published.
"""

from __future__ import annotations

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


def slug_clash_message(holder, parent) -> str:
    names = {
        "title": holder.get_admin_display_title(),
        "parent": parent.get_admin_display_title(),
    }
    if holder.first_published_at is None and not holder.live:
        saved = holder.latest_revision_created_at
        names["saved"] = (
            date_format(localtime(saved), "DATETIME_FORMAT") if saved else "—"
        )
        return (
            _(
                "“%(title)s”, a draft never published (last saved %(saved)s), "
                "already has this address under “%(parent)s”. Carry on with that "
                "draft from the page explorer, delete it, or give this page "
                "another title."
            )
            % names
        )
    return (
        _(
            "“%(title)s” already has this address under “%(parent)s”. Give this "
            "page another title, or another slug on the Promote tab."
        )
        % names
    )


class CoursePageForm(WagtailAdminPageForm):
    def clean(self):
        # The slug as sent: Wagtail may have refused it already, field first.
        slug = self["slug"].data if "slug" in self.fields else None
        cleaned_data = super().clean()
        if slug and self.parent_page is not None and "title" in self.fields:
            holder = (
                self.parent_page.get_children()
                .filter(slug=slug)
                .exclude(pk=self.instance.pk)
                .first()
            )
            if holder is not None:
                self.add_error("title", slug_clash_message(holder, self.parent_page))
        return cleaned_data
