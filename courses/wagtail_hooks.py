"""Admin hooks of the courses app."""

from __future__ import annotations

from django.contrib import messages
from django.utils.text import capfirst
from django.utils.translation import ngettext
from wagtail import hooks

from . import languages, translate_subtree
from .translation_gaps import translation_gaps


@hooks.register("after_publish_page")
def aliases_after_publish(request, page):
    """A course, module or lesson an editor publishes gets an alias in every
    language it has no page in yet, so that readers of those languages stay
    in them (courses/languages.py). wagtail-localize's synchronised tree
    would do it only for locales set to "sync from" another, and for every
    kind of page; this is for courses, from any language into all."""
    specific = page.specific
    if isinstance(specific, languages.CoursePage):
        languages.course_aliases_ensure(specific)
    elif isinstance(specific, languages.COURSE_PAGE_TYPES):
        languages.page_aliases_ensure(specific)


# Before wagtail-localize's own hook (order 0), which renders the editor.
@hooks.register("before_edit_page", order=-1)
def name_the_missing_translations(request, page):
    """On opening a page's translation editor, say which fields still have
    untranslated text, so that "published with missing translations - see
    below" is followed by what is missing. Lets the editor open as before."""
    if request.method != "GET":
        return None
    gaps = translation_gaps(page)
    if gaps is None:
        return None
    names, count = gaps
    messages.warning(
        request,
        ngettext(
            "Not translated yet in %(language)s: %(count)d text, in %(fields)s.",
            "Not translated yet in %(language)s: %(count)d texts, in %(fields)s.",
            count,
        )
        % {
            "language": page.locale.get_display_name(),
            "count": count,
            "fields": ", ".join(capfirst(name) for name in names),
        },
    )
    return None


# Before wagtail-localize's own URLs (order 0), at the same address.
@hooks.register("register_admin_urls", order=-1)
def translate_published_subtree_urls():
    return translate_subtree.admin_urls()
