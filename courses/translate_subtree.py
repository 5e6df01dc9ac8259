"""wagtail-localize's "Translate this page", with "Include subtree" taking
the pages below that have been published and leaving out the drafts nobody
ever published.

Wagtail 8 autosaves a new page once it has a title, so a module holds the
drafts editors started and left; wagtail-localize's subtree would copy each
into every language chosen. A draft left out is translated when it is
published: publishing gives it an alias in every language
(courses/wagtail_hooks.py), and the alias converts into a translation.
The page itself is translated as before, draft or not.

Served at wagtail-localize's own address (the hook below comes first), so
every "Translate" button leads here.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import path
from django.utils.translation import ngettext
from wagtail.models import Page
from wagtail_localize.operations import TranslationCreator
from wagtail_localize.tasks import background
from wagtail_localize.views.submit_translations import (
    SubmitPageTranslationView,
    SubmitTranslationForm,
)


def is_unpublished_draft(page: Page) -> bool:
    return page.first_published_at is None and not page.live


def published_descendants(page: Page) -> list[Page]:
    """The pages below `page`, in tree order, without the drafts never
    published nor anything under them."""
    kept: list[Page] = []
    left_out: list[str] = []
    for descendant in page.get_descendants().order_by("path"):
        if any(descendant.path.startswith(path) for path in left_out):
            continue
        if is_unpublished_draft(descendant):
            left_out.append(descendant.path)
            continue
        kept.append(descendant)
    return kept


def translate_published_subtree(page_id: int, locales, components, user) -> None:
    translator = TranslationCreator(user, locales)
    for descendant in published_descendants(Page.objects.get(pk=page_id)):
        translator.create_translations(descendant)
    if components is not None:
        components.save(translator, sources_and_translations=translator.mappings)


class PublishedSubtreeForm(SubmitTranslationForm):
    def __init__(self, instance, *args, **kwargs):
        super().__init__(instance, *args, **kwargs)
        field = self.fields["include_subtree"]
        if not isinstance(instance, Page) or field.widget.is_hidden:
            return
        total = instance.get_descendants().count()
        kept = len(published_descendants(instance))
        field.label = ngettext(
            "Include the published pages below (%(count)d page)",
            "Include the published pages below (%(count)d pages)",
            kept,
        ) % {"count": kept}
        if total > kept:
            field.help_text = ngettext(
                "%(count)d draft never published stays out (with any page below "
                "it); it is translated once it is published.",
                "%(count)d drafts never published stay out (with any pages below "
                "them); each is translated once it is published.",
                total - kept,
            ) % {"count": total - kept}


class SubmitPublishedSubtreeView(SubmitPageTranslationView):
    def get_form(self):
        if self.request.method == "POST":
            return PublishedSubtreeForm(self.object, self.request.POST)
        # wagtail-localize's form for its initial (a language asked for in the URL)
        return PublishedSubtreeForm(self.object, initial=super().get_form().initial)

    @transaction.atomic
    def form_valid(self, form):
        include_subtree = form.cleaned_data["include_subtree"]
        form.cleaned_data["include_subtree"] = False
        response = super().form_valid(form)
        if include_subtree:
            background.enqueue(
                translate_published_subtree,
                [
                    self.object.pk,
                    form.cleaned_data["locales"],
                    self.components,
                    self.request.user,
                ],
                {},
            )
        return response


def admin_urls():
    return [
        path(
            "localize/submit/page/<int:page_id>/",
            SubmitPublishedSubtreeView.as_view(),
            name="relais_submit_page_translation",
        )
    ]
