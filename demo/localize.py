"""Demo translations made the way an editor's are: through wagtail-localize.

Each page of a course is a TranslationSource; each target language is a
Translation whose segments are filled with StringTranslation rows from the
demo's texts (demo/content/), then saved as the target page. An editor who
opens the translated course in the admin sees wagtail-localize's own
workflow: every segment translated, "out of date" after an edit of the
English page, "Sync translated pages" to bring it in.

Idempotent: a page whose Translation exists and whose target page exists is
left alone, so a second run changes nothing."""

from __future__ import annotations

from collections.abc import Mapping

from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue


class MissingDemoText(KeyError):
    """A source string the demo's texts do not translate: the demo's data
    lags behind the English course."""


def translate_tree(
    root: Page, locale: Locale, strings: Mapping[str, str], *, keep=frozenset()
) -> list[Page]:
    """Translate `root` and its descendants into `locale` (parents first),
    and return the pages created. `strings` maps each English string to its
    translation; strings in `keep` (slugs, names) stay as they are."""
    pages = [root, *root.get_descendants().order_by("path").specific()]
    done = _translated({page.translation_key for page in pages}, locale)
    created = []
    for page in pages:
        if page.translation_key in done:
            continue
        if _translate(page, locale, strings, keep):
            created.append(page)
    return created


def _translated(keys, locale: Locale) -> set:
    """The pages among `keys` already translated into `locale` through
    wagtail-localize, target page included: two queries for a whole tree."""
    started = set(
        Translation.objects.filter(
            source__object_id__in=keys, target_locale=locale
        ).values_list("source__object_id", flat=True)
    )
    targets = set(
        Page.objects.filter(translation_key__in=keys, locale=locale).values_list(
            "translation_key", flat=True
        )
    )
    return started & targets


def _translate(page: Page, locale: Locale, strings, keep) -> bool:
    source, _ = TranslationSource.get_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(
        source=source, target_locale=locale
    )
    existed = page.has_translation(locale)
    _fill(source, locale, strings, keep | {page.slug})
    # Saved as a draft, then published from a revision read back from the
    # database. save_target(publish=True) defers the publishing to the end
    # of the transaction (load_demo runs in one) and publishes the page
    # object as it was when its revision was made: a course published that
    # way writes numchild = 0 back over the modules added since, and its
    # children answer 404 (issue 17; the admin's path is fixed on its own).
    translation.save_target(publish=False)
    target = translation.get_target_instance()
    Revision.objects.get(pk=target.latest_revision_id).publish()
    return not existed


def _fill(source: TranslationSource, locale: Locale, strings, keep) -> None:
    segments = StringSegment.objects.filter(source=source).select_related(
        "string", "context"
    )
    for segment in segments:
        text = segment.string.as_value().render_text()
        if text in strings:
            translated = strings[text]
        elif text in keep:
            translated = text
        else:
            raise MissingDemoText(
                f"No {locale.language_code} text for {text!r} "
                f"({source.object_repr}, {segment.context.path})"
            )
        StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={
                "data": StringValue.from_plaintext(translated).data,
                "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL,
            },
        )


def missing_segments(page: Page, locale: Locale) -> int:
    """How many of the page's segments have no translation into `locale`
    (0 for a fully translated page); for the demo's tests and checks."""
    source = TranslationSource.objects.get_for_instance(page)
    translation = Translation.objects.get(source=source, target_locale=locale)
    total, done = translation.get_progress()
    return total - done
