from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet, SnippetChosenView
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Theme


class ThemeChosenView(SnippetChosenView):
    def get_object(self, pk):
        # Wagtail answers a missing theme with 404 but a pk that is not a
        # number (`chosen/abc/`) with a 500: both are "no such theme".
        try:
            return super().get_object(pk)
        except ValueError:
            raise Theme.DoesNotExist from None


class ThemeChooserViewSet(SnippetChooserViewSet):
    chosen_view_class = ThemeChosenView


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Resource themes")
    list_display = ["name", "locale", "sort_order"]
    list_filter = ["locale"]
    search_fields = ["name"]
    add_to_admin_menu = True
    menu_order = 300
    chooser_viewset_class = ThemeChooserViewSet


register_snippet(ThemeViewSet)
