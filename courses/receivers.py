"""Signal receivers of the courses app, connected in CoursesConfig.ready()."""

from __future__ import annotations

from . import languages


def repair_numchild_on_publish(sender, instance, **kwargs):
    """Keep the published page's child count true (see
    `languages.numchild_repair` for the wagtail-localize publish that breaks
    it): a page whose `numchild` says 0 hides all its children from
    Wagtail's router."""
    languages.numchild_repair(instance)
