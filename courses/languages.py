"""Courses in every language: the alias that keeps a reader in their language
when a course has no translation in it, the page of a course in a given
language, and the language a page's content is written in.

A course written in English is mirrored in every other locale by a Wagtail
alias (`Page.create_alias`, made through `copy_for_translation(alias=True)`,
as wagtail-localize's synchronised tree makes them): a page of the Russian
tree, with its own id and the English page's translation key, whose content
Wagtail keeps equal to the English page's on every publish. It is served
under /ru/…, so the interface stays Russian; the templates say the content
is in English (`content_language`). When an editor translates the course
with wagtail-localize, the alias is converted in place into the Russian
translation: same page, same id, so enrolments and progress recorded on it
stay valid. See docs/languages.md."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Locale, Page

from .models import CoursePage, LessonPage, ModulePage

# The page types that are mirrored by aliases: a course and everything in it.
COURSE_PAGE_TYPES = (CoursePage, ModulePage, LessonPage)


def content_language(page: Page) -> str:
    """The language the page's content is written in: its source's for an
    alias, and for a translation that wagtail-localize made from an alias
    but nobody has published yet (its live content is still the alias's);
    its own locale's otherwise. One query for those two, none for the rest."""
    if not shows_source_content(page):
        return page.locale.language_code
    cached = page.__dict__.get("_relais_content_language")
    if cached is None:
        cached = _source_language(page) or page.locale.language_code
        page._relais_content_language = cached
    return cached


def shows_source_content(page: Page) -> bool:
    """Whether the page shows another page's content rather than its own
    translation: an alias, or an alias wagtail-localize converted into a
    translation that has not been published yet. No query."""
    return page.alias_of_id is not None or (
        page.live_revision_id is None and page.has_unpublished_changes
    )


def _source_language(page: Page) -> str | None:
    if page.alias_of_id is not None:
        return (
            Page.objects.filter(pk=page.alias_of_id)
            .values_list("locale__language_code", flat=True)
            .first()
        )
    from wagtail_localize.models import TranslationSource

    # Converted from an alias by "Translate this page": wagtail-localize's
    # source says which language it was copied from.
    return (
        TranslationSource.objects.filter(
            object_id=page.translation_key, translations__target_locale=page.locale_id
        )
        .values_list("locale__language_code", flat=True)
        .first()
    )


def page_in_language(page: Page, language: str) -> Page | None:
    """The live page with `page`'s translation key in `language` (a
    translation or an alias), `page` itself when it is already in that
    language, or None. One query (none when `page` is in `language`)."""
    if page.locale.language_code == language:
        return page
    return (
        page.specific_class.objects.live()
        .filter(
            translation_key=page.translation_key,
            locale__language_code=language,
        )
        .select_related("locale")
        .first()
    )


def course_in_language(course: CoursePage, language: str) -> CoursePage:
    """The course as a reader of `language` should reach it: its translation
    or its alias in that language when there is a live one, else the course
    itself."""
    if not language:
        return course
    found = page_in_language(course, language)
    return found if isinstance(found, CoursePage) else course


def local_title(*, key_of: str, language: str) -> Subquery:
    """For annotate(): the title of the live translation in `language` of the
    course whose translation key the outer query has at `key_of` (aliases
    left out: their title is the source's), NULL when there is none."""
    return Subquery(
        CoursePage.objects.live()
        .filter(
            translation_key=OuterRef(key_of),
            locale__language_code=language,
            alias_of__isnull=True,
        )
        .values("title")[:1]
    )


def courses_in_language(
    courses: list[CoursePage], language: str
) -> dict[int, CoursePage]:
    """`course_in_language` for several courses at once: {course id: the page
    to link to}. One query, whatever their number (none for no course)."""
    result = {course.pk: course for course in courses}
    if not courses or not language:
        return result
    found = {
        page.translation_key: page
        for page in CoursePage.objects.live()
        .filter(
            translation_key__in={course.translation_key for course in courses},
            locale__language_code=language,
        )
        .select_related("locale")
    }
    for course in courses:
        result[course.pk] = found.get(course.translation_key, course)
    return result


@transaction.atomic
def page_aliases_ensure(page: Page) -> int:
    """Give `page` (a course, module or lesson that is not itself an alias)
    an alias in every other language where it has neither a translation nor
    an alias, under its parent's counterpart there (the catalogue, the
    course, the module: made too when missing, as wagtail-localize's
    synchronised tree does). Returns how many aliases were made. A page
    already in the language is left alone, so this is idempotent."""
    if page.alias_of_id is not None:
        return 0
    page = page.specific
    have = set(
        Page.objects.filter(translation_key=page.translation_key).values_list(
            "locale_id", flat=True
        )
    )
    made = 0
    for locale in Locale.objects.exclude(pk__in=have).filter(
        language_code__in=[code for code, _name in settings.LANGUAGES]
    ):
        if not _parent_has_home(page, locale):
            continue
        page.copy_for_translation(locale, copy_parents=True, alias=True)
        made += 1
    return made


def _parent_has_home(page: Page, locale: Locale) -> bool:
    """Whether the locale's tree has the home page an alias would hang under
    (copy_parents makes the levels between, never a new site root)."""
    from home.models import HomePage

    return HomePage.objects.filter(locale=locale).exists()


def course_aliases_ensure(course: CoursePage) -> int:
    """`page_aliases_ensure` for a course and every page in it, parents
    first. The function the demo, the setup command and the publish signal
    use; returns how many aliases were made."""
    if course.alias_of_id is not None or course.locale.language_code not in dict(
        settings.LANGUAGES
    ):
        return 0
    made = page_aliases_ensure(course)
    for descendant in (
        Page.objects.descendant_of(course)
        .filter(alias_of__isnull=True)
        .order_by("path")
        .specific()
    ):
        made += page_aliases_ensure(descendant)
    return made


def all_course_aliases_ensure() -> int:
    """Aliases for every course that is not an alias: what `setup_site`
    runs, so that a database made before aliases existed gets them."""
    made = 0
    for course in CoursePage.objects.filter(alias_of__isnull=True).select_related(
        "locale"
    ):
        made += course_aliases_ensure(course)
    return made


def numchild_repair(page: Page) -> None:
    """Set the page's `numchild` to the number of its children when it says
    otherwise. One query.

    Why: wagtail-localize saves a translation's revision and publishes it in
    `transaction.on_commit` ("Translate this page" with its subtree runs in
    one transaction). The revision keeps the page instance it was made from,
    with `numchild = 0`, and publishing it saves that instance whole after the
    translated modules and lessons were added under it: the course and each
    module end up with `numchild = 0`, and Wagtail's router, which walks the
    tree only under pages with children, answers 404 for every page below."""
    children = (
        Page.objects.filter(
            path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
        )
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    counted = Coalesce(Subquery(children), 0)
    Page.objects.filter(pk=page.pk).exclude(numchild=counted).update(numchild=counted)


__all__ = [
    "COURSE_PAGE_TYPES",
    "all_course_aliases_ensure",
    "content_language",
    "course_aliases_ensure",
    "course_in_language",
    "courses_in_language",
    "numchild_repair",
    "page_aliases_ensure",
    "page_in_language",
]
