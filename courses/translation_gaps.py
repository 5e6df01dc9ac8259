"""What a translation still lacks, named for the editor.

wagtail-localize's editor warns "Published … with missing translations - see
below" and leaves the editor to find the untranslated segments among all of
them. `translation_gaps` names the fields that still have untranslated text
(title, summary, body…), and the `before_edit_page` hook in
courses/wagtail_hooks.py says them at the top of the translation editor."""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist
from wagtail.models import Page
from wagtail_localize.models import StringSegment, Translation


def translation_gaps(page: Page) -> tuple[list[str], int] | None:
    """(the names of the fields with untranslated text, how many texts are
    untranslated) for a page that wagtail-localize translates into its
    locale; None when it is not such a page or nothing is missing. Two
    queries."""
    translation = (
        Translation.objects.filter(
            source__object_id=page.translation_key,
            target_locale_id=page.locale_id,
            enabled=True,
        )
        .select_related("source")
        .first()
    )
    if translation is None or translation.source.locale_id == page.locale_id:
        return None
    missing = (
        StringSegment.objects.filter(source=translation.source)
        .annotate_translation(translation.target_locale)
        .filter(translation__isnull=True)
        .select_related("context")
        .order_by("order")
    )
    names: list[str] = []
    count = 0
    model = page.specific_class
    for segment in missing:
        count += 1
        field_name = segment.context.path.split(".", 1)[0]
        try:
            label = str(model._meta.get_field(field_name).verbose_name)
        except FieldDoesNotExist:
            label = field_name.replace("_", " ")
        if label not in names:
            names.append(label)
    return (names, count) if count else None
