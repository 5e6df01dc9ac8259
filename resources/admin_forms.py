"""The resource editor's form: the themes offered are those of the
resource's language (one row per language: the editor saw every language's
at once, some 35 checkboxes), and the fields a kind requires say so before
the editor submits."""

from __future__ import annotations

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm


class ResourcePageForm(WagtailAdminPageForm):
    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        from .models import CASE_STUDY_FIELDS, KNOWLEDGE_SHEET_FIELDS, ResourcePage

        locale_id = self.instance.locale_id or getattr(parent_page, "locale_id", None)
        if "themes" in self.fields and locale_id:
            field = self.fields["themes"]
            field.queryset = field.queryset.filter(locale_id=locale_id)
        for names, kind in (
            (CASE_STUDY_FIELDS, ResourcePage.Kind.CASE_STUDY),
            (KNOWLEDGE_SHEET_FIELDS, ResourcePage.Kind.KNOWLEDGE_SHEET),
        ):
            required = _("Required for a %(kind)s.") % {"kind": kind.label.lower()}
            for name in names:
                if name in self.fields:
                    help_text = str(self.fields[name].help_text or "")
                    self.fields[name].help_text = " ".join(
                        part for part in (required, help_text) if part
                    )
