"""A course and its translations count as one course.

Wagtail keeps each translation of a course as its own page, linked to the
others by `translation_key`; the catalogue shows one entry per key, and so
do the reports. Enrolments are grouped by course page (the cheap grouping
on the enrolment table's own column) and folded here, in Python, by
translation key, which also gives the breakdown by language of study (the
language of the page enrolled on). The course is named in the reader's
language when it is translated into it, else in the site's default, else
in its oldest translation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import get_language, get_language_info

from courses.models import CoursePage


@dataclass(frozen=True)
class CourseGroup:
    """What a course page counts as: the page standing for its course (`pk`),
    the course's title, and the page's own language."""

    pk: int
    title: str
    language: str


def same_course(course_id: int, field: str = "course_id") -> Q:
    """Enrolments (or whatever `field` names) in the course `course_id` or
    any of its translations. A subquery over the page table (small), so the
    enrolment table is still filtered on its indexed column."""
    translations = CoursePage.objects.filter(
        translation_key__in=CoursePage.objects.filter(pk=course_id).values(
            "translation_key"
        )
    ).values("pk")
    return Q(**{f"{field}__in": translations})


def one_page_per_course() -> QuerySet[CoursePage]:
    """Course pages, one per course: the translation in the reader's
    language, else the one in the site's default language (a course in
    neither keeps each of its translations). For the course filter, where
    a translation stands for its course (`same_course`). One query."""
    reader = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    default = settings.LANGUAGE_CODE
    siblings = CoursePage.objects.filter(translation_key=OuterRef("translation_key"))
    return CoursePage.objects.filter(
        Q(locale__language_code=reader)
        | (
            ~Exists(siblings.filter(locale__language_code=reader))
            & (
                Q(locale__language_code=default)
                | ~Exists(siblings.filter(locale__language_code=default))
            )
        )
    )


def course_groups(course_ids: Iterable[int | None]) -> dict[int, CourseGroup]:
    """For each course page id (and every other translation of the same
    courses): the course it belongs to. One query."""
    wanted = [pk for pk in set(course_ids) if pk is not None]
    if not wanted:
        return {}
    pages: QuerySet = (
        CoursePage.objects.filter(
            translation_key__in=CoursePage.objects.filter(pk__in=wanted).values(
                "translation_key"
            )
        )
        .values_list("pk", "translation_key", "locale__language_code", "title")
        .order_by("pk")
    )
    reader = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    preferred = {reader: 0, settings.LANGUAGE_CODE: 1}
    by_key: dict = {}
    for pk, key, language, title in pages:
        by_key.setdefault(key, []).append((pk, language, title))
    groups: dict[int, CourseGroup] = {}
    for translations in by_key.values():
        pk, _language, title = min(
            translations, key=lambda t: (preferred.get(t[1], 2), t[0])
        )
        for page_pk, language, _title in translations:
            groups[page_pk] = CourseGroup(pk=pk, title=title, language=language)
    return groups


def fold_by_course(
    rows: list[dict], columns: list[str], groups: dict[int, CourseGroup], unknown: str
) -> list[dict]:
    """Rows keyed by course page id, summed into one row per course (keyed by
    the page standing for it, labelled with its title), each with
    `by_language`: {language code: {column: count}}."""
    folded: dict = {}
    for row in rows:
        group = groups.get(row["key"])
        key = group.pk if group else row["key"]
        target = folded.setdefault(
            key,
            {
                "key": key,
                "label": group.title if group else unknown,
                "by_language": {},
                **dict.fromkeys(columns, 0),
            },
        )
        language = group.language if group else ""
        share = target["by_language"].setdefault(language, dict.fromkeys(columns, 0))
        for column in columns:
            target[column] += row.get(column) or 0
            share[column] += row.get(column) or 0
    return list(folded.values())


def languages_present(rows: list[dict]) -> list[str]:
    """The languages of study in `rows`, in the settings' order."""
    present = {code for row in rows for code in row.get("by_language", {})}
    return [code for code, _name in settings.LANGUAGES if code in present]


def language_name(code: str) -> str:
    """A language's name in the reader's language ("French", "Français"),
    from Django's own table of languages."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code
