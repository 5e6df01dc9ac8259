"""Reads for the resources library. The listing runs a fixed number of
queries whatever the number of resources (themes are prefetched)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Case, CharField, F, IntegerField, Q, Value, When
from django.db.models.functions import Concat
from wagtail.models import Locale, Page, ReferenceIndex

from .forms import ResourceFilterForm
from .models import ResourcePage, Theme

PER_PAGE = 20


def _listing_locales(locale: Locale) -> tuple[Locale, Locale | None]:
    """The visitor's locale, and the default locale whose resources stand in
    for those not (yet) translated."""
    default = Locale.get_default()
    return locale, (None if default.pk == locale.pk else default)


def themes_for_locale(
    *, locale: Locale, locales: tuple[Locale, Locale | None] | None = None
) -> tuple[dict[str, Theme], dict[int, int]]:
    """Themes by translation key, each in the visitor's language where it is
    translated, else in the default language; and every fetched theme id
    mapped to the id of the theme shown (so that a link made in another
    language still filters). One query."""
    own, fallback = locales or _listing_locales(locale)
    ids = [own.pk] + ([fallback.pk] if fallback else [])
    rows = list(Theme.objects.filter(locale_id__in=ids).order_by("sort_order", "name"))
    by_key: dict[str, Theme] = {}
    for theme in rows:
        key = str(theme.translation_key)
        if key not in by_key or theme.locale_id == own.pk:
            by_key[key] = theme
    aliases = {theme.pk: by_key[str(theme.translation_key)].pk for theme in rows}
    return by_key, aliases


def resources_visible(
    *, locale: Locale, locales: tuple[Locale, Locale | None] | None = None
):
    """Live, public resources in the visitor's language, plus default-language
    resources not translated into it; the visitor's language first."""
    own, fallback = locales or _listing_locales(locale)
    qs = ResourcePage.objects.live().public()
    if fallback is None:
        qs = qs.filter(locale=own)
    else:
        translated = (
            ResourcePage.objects.live().filter(locale=own).values("translation_key")
        )
        qs = qs.filter(
            Q(locale=own) | Q(locale=fallback) & ~Q(translation_key__in=translated)
        )
    return qs.annotate(
        other_language=Case(
            When(locale_id=own.pk, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("other_language", "title", "pk")


def _country_codes(values) -> set[str]:
    codes: set[str] = set()
    for value in values:
        if isinstance(value, str):
            codes.update(code for code in value.split(",") if code)
        elif value:
            codes.update(str(code) for code in value)
    return codes


def resource_listing(*, locale: Locale, params: Mapping) -> dict:
    """The index page's context: the filter form (drop-downs for the themes and
    countries present), the ignored bad filter values, and one page of
    resources, each with `theme_labels` in the visitor's language."""
    locales = own, fallback = _listing_locales(locale)
    themes, theme_aliases = themes_for_locale(locale=own, locales=locales)
    visible = resources_visible(locale=own, locales=locales)
    present = _country_codes(visible.values_list("country", flat=True))
    form = ResourceFilterForm(
        params,
        themes=themes.values(),
        theme_aliases=theme_aliases,
        present_countries=present,
    )
    values, ignored = form.clean_each()

    qs = visible
    if values.get("kind"):
        qs = qs.filter(kind=values["kind"])
    if values.get("region"):
        qs = qs.filter(region=values["region"])
    if values.get("theme"):
        key = themes_by_id(themes)[values["theme"]].translation_key
        qs = qs.filter(
            pk__in=ResourcePage.themes.through.objects.filter(
                theme__translation_key=key
            ).values("resourcepage_id")
        )
    if values.get("country"):
        qs = qs.annotate(
            _countries=Concat(
                Value(","), F("country"), Value(","), output_field=CharField()
            )
        ).filter(_countries__contains=f",{values['country']},")
    if values.get("q"):
        locale_ids = [own.pk] + ([fallback.pk] if fallback else [])
        matches = (
            ResourcePage.objects.live()
            .filter(locale_id__in=locale_ids)
            .search(values["q"], operator="and", order_by_relevance=False)
        )
        qs = qs.filter(pk__in=[match.pk for match in matches])

    qs = qs.select_related("locale").prefetch_related("themes")
    paginator = Paginator(qs, PER_PAGE)
    page_obj = paginator.get_page(params.get("page"))
    resources = list(page_obj.object_list)
    for resource in resources:
        resource.theme_labels = [
            themes.get(str(theme.translation_key), theme).name
            for theme in resource.themes.all()
        ]
    return {
        "filter_form": form.unbound_copy(values),
        "page_obj": page_obj,
        "resources": resources,
        "ignored_filters": ignored,
        "is_filtered": any(values.values()),
    }


def themes_by_id(themes: dict[str, Theme]) -> dict[int, Theme]:
    return {theme.pk: theme for theme in themes.values()}


def resource_detail(*, page: ResourcePage) -> dict:
    themes, _aliases = themes_for_locale(locale=page.locale)
    theme_labels = [
        themes.get(str(theme.translation_key), theme).name
        for theme in page.themes.all()
    ]
    documents = list(page.documents.select_related("document"))
    return {
        "theme_labels": theme_labels,
        "documents": documents,
        "citations": resource_citations(page=page),
    }


@dataclass
class Citation:
    course: Page
    lessons: list[Page]


def resource_citations(*, page: ResourcePage) -> list[Citation]:
    """The courses whose pages cite this resource (or one of its translations),
    from Wagtail's reference index: each citing page is grouped under its
    ancestor at course depth (the child of a section under the home page),
    without knowing which app defines those pages. Courses in the resource's
    language come first; one entry per course across translations."""
    translations = Page.objects.filter(translation_key=page.translation_key)
    page_type = ContentType.objects.get_for_model(Page)
    source_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to_in_bulk(translations)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        if str(object_id).isdigit()
    }
    if not source_ids:
        return []
    citing = list(
        Page.objects.live().public().filter(pk__in=source_ids).order_by("path")
    )
    home_depth = page.get_parent().depth - 1 if page.depth > 2 else 2
    course_depth = home_depth + 2
    steplen = Page.steplen
    course_paths = {
        p.path[: steplen * course_depth] for p in citing if p.depth >= course_depth
    }
    courses = {
        course.path: course
        for course in Page.objects.live()
        .public()
        .filter(path__in=course_paths)
        .select_related("locale")
    }
    by_course: dict[str, Citation] = {}
    for citing_page in citing:
        course = courses.get(citing_page.path[: steplen * course_depth])
        if course is None:
            continue
        entry = by_course.setdefault(course.path, Citation(course=course, lessons=[]))
        if citing_page.pk != course.pk:
            entry.lessons.append(citing_page)

    chosen: dict[str, Citation] = {}
    for entry in sorted(
        by_course.values(),
        key=lambda e: (e.course.locale_id != page.locale_id, e.course.title),
    ):
        chosen.setdefault(str(entry.course.translation_key), entry)
    return list(chosen.values())
