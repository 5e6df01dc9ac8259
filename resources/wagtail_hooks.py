from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Resource themes")
    list_display = ["name", "locale", "sort_order"]
    list_filter = ["locale"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300


register_snippet(ThemeViewSet)
