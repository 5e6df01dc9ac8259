"""Admin hooks of the courses app."""

from __future__ import annotations

from wagtail import hooks

from . import languages


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
