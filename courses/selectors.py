"""Reads about courses that span pages and attempts. Each runs a fixed number
of queries, whatever the size of the course."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from taggit.models import Tag
from wagtail.models import Locale

from .models import CoursePage, CourseTag, LessonPage, ModulePage, QuizAttempt
from .quiz import QuizResult, quiz_feedback, quiz_max_attempts

# --- Course structure -------------------------------------------------------


@dataclass(frozen=True)
class OutlineLesson:
    """A lesson as the outline shows it: plain data, kept in the cache."""

    pk: int
    title: str
    url: str
    estimated_minutes: int


@dataclass(frozen=True)
class OutlineModule:
    pk: int
    title: str
    summary: str
    lessons: tuple[OutlineLesson, ...]


def course_outline_cached(*, course: CoursePage) -> list[OutlineModule]:
    """The live modules of a course in tree order, each with its live lessons
    (a lesson under an unpublished module is hidden, and a module without a
    live lesson is left out), as plain data with each lesson's URL, from the
    cache.

    Kept per course with the page cache's generation (relais.page_cache), so
    any page published, moved, renamed or deleted rebuilds it; read in one
    round trip to the cache together with that generation. A miss runs two
    queries; a hit none. Remembered on the course instance for the rest of
    the request. URLs are Wagtail's `get_url()` without a request: a path
    while there is one site, an absolute URL (right from any site) when there
    are more."""
    return course_outlines_cached(courses=[course])[course.pk]


def _outline_key(course_id: int) -> str:
    return f"relais:outline:{course_id}"


def course_outlines_cached(*, courses: list[CoursePage]) -> dict[int, list]:
    """`course_outline_cached` for several courses: {course id: outline}. The
    cached ones are read in one round trip to the cache; the missing ones are
    built together in two queries, however many they are."""
    from relais import page_cache

    found: dict[int, list[OutlineModule]] = {}
    wanted = {}
    for course in courses:
        memo = course.__dict__.get("_relais_outline")
        if memo is not None:
            found[course.pk] = memo
        else:
            wanted[course.pk] = course
    if wanted:
        generation, cached = page_cache.get_current([_outline_key(pk) for pk in wanted])
        for pk in wanted:
            if _outline_key(pk) in cached:
                found[pk] = cached[_outline_key(pk)]
        missing = [course for pk, course in wanted.items() if pk not in found]
        if missing:
            built = _build_outlines(missing)
            page_cache.set_current(
                {_outline_key(pk): outline for pk, outline in built.items()},
                generation=generation,
                timeout=page_cache.timeout() or 300,
            )
            found.update(built)
        for pk, course in wanted.items():
            course._relais_outline = found[pk]
    return {course.pk: found[course.pk] for course in courses}


def _build_outlines(courses: list[CoursePage]) -> dict[int, list[OutlineModule]]:
    """The outlines of these courses: live modules in tree order with their
    live lessons (a lesson under an unpublished module is hidden; a module
    with no live lesson is left out, not shown as an empty heading). Two
    queries."""
    from functools import reduce
    from operator import or_

    from django.db.models import Q

    step = ModulePage.steplen
    under = reduce(or_, (Q(path__startswith=c.path) for c in courses))
    course_of = {c.path: c.pk for c in courses}
    modules: dict[str, tuple[ModulePage, list[OutlineLesson]]] = {}
    for module in (
        ModulePage.objects.live()
        .filter(under)
        .only("id", "title", "summary", "path", "depth")
        .order_by("path")
    ):
        if module.path[:-step] in course_of:
            modules[module.path] = (module, [])
    for lesson in (
        LessonPage.objects.live().filter(under).defer_streamfields().order_by("path")
    ):
        entry = modules.get(lesson.path[:-step])
        if entry is not None:
            entry[1].append(
                OutlineLesson(
                    pk=lesson.pk,
                    title=lesson.title,
                    url=lesson.get_url() or "",
                    estimated_minutes=lesson.estimated_minutes,
                )
            )
    outlines: dict[int, list[OutlineModule]] = {c.pk: [] for c in courses}
    for path, (module, lessons) in modules.items():
        if not lessons:
            continue
        outlines[course_of[path[:-step]]].append(
            OutlineModule(
                pk=module.pk,
                title=module.title,
                summary=module.summary,
                lessons=tuple(lessons),
            )
        )
    return outlines


def course_lessons(*, outline: list[OutlineModule]) -> list[OutlineLesson]:
    return [lesson for module in outline for lesson in module.lessons]


def lesson_neighbours(
    *,
    lesson: LessonPage,
    course: CoursePage | None = None,
    outline: list[OutlineModule] | None = None,
) -> tuple[OutlineLesson | None, OutlineLesson | None]:
    """(previous, next) lesson of the outline, across modules; None at either
    end."""
    if outline is None:
        outline = course_outline_cached(course=course or lesson.get_course())
    lessons = course_lessons(outline=outline)
    ids = [item.pk for item in lessons]
    if lesson.pk not in ids:
        return None, None
    i = ids.index(lesson.pk)
    previous = lessons[i - 1] if i > 0 else None
    following = lessons[i + 1] if i + 1 < len(lessons) else None
    return previous, following


def course_live_lessons(*, course: CoursePage) -> QuerySet[LessonPage]:
    """The course's live lessons in tree order (a lesson under an unpublished
    module included: use the outline for what a participant is shown)."""
    return LessonPage.objects.live().descendant_of(course).order_by("path")


def course_get_for_lesson(*, lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).select_related("locale").get()


def course_translations(*, course: CoursePage) -> QuerySet[CoursePage]:
    """The course's live translations (not its aliases, which only mirror
    this or another page in another language's tree)."""
    return (
        course.get_translations()
        .live()
        .filter(alias_of__isnull=True)
        .select_related("locale")
        .order_by("locale__language_code")
    )


# --- Catalogue --------------------------------------------------------------


@dataclass
class CatalogueFilters:
    language: str = ""
    kind: str = ""
    topic: str = ""
    q: str = ""
    ignored: list[str] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return bool(self.language or self.kind or self.topic or self.q)


def catalogue_filters_from(params: Any) -> CatalogueFilters:
    """Read the catalogue's query string. Unknown values are dropped and named
    in `ignored` (the page says so) rather than failing."""
    filters = CatalogueFilters()
    languages = dict(settings.LANGUAGES)
    kinds = dict(CoursePage.Kind.choices)
    language = (params.get("language") or "").strip()
    if language in languages:
        filters.language = language
    elif language:
        filters.ignored.append("language")
    kind = (params.get("kind") or "").strip()
    if kind in kinds:
        filters.kind = kind
    elif kind:
        filters.ignored.append("kind")
    topic = (params.get("topic") or "").strip()[:100]
    if "\x00" in topic:
        # No slug holds a NUL byte, and PostgreSQL refuses one in a query.
        filters.ignored.append("topic")
    elif topic:
        if Tag.objects.filter(
            slug=topic, courses_coursetag_items__isnull=False
        ).exists():
            filters.topic = topic
        else:
            filters.ignored.append("topic")
    q = (params.get("q") or "").strip()[:200]
    if "\x00" in q:
        filters.ignored.append("q")
    else:
        filters.q = q
    return filters


def catalogue_topics() -> list[Tag]:
    return list(
        Tag.objects.filter(courses_coursetag_items__content_object__live=True)
        .distinct()
        .order_by("name")
    )


def catalogue_courses(*, filters: CatalogueFilters, language: str) -> list[CoursePage]:
    """Live courses matching the filters. The visitor's language comes first,
    then the others; a course translated into the visitor's language, or
    mirrored in it by an alias, appears once, in that language (so its link
    stays under the visitor's prefix), with `content_language` saying what
    its content is written in. A fixed number of queries."""
    courses = CoursePage.objects.live().select_related("locale", "alias_of__locale")
    if filters.language:
        courses = courses.filter(locale__language_code=filters.language)
    if filters.kind:
        courses = courses.filter(kind=filters.kind)
    if filters.topic:
        courses = courses.filter(
            pk__in=CourseTag.objects.filter(tag__slug=filters.topic).values(
                "content_object_id"
            )
        )
    if filters.q:
        matching = CoursePage.objects.live().search(filters.q, operator="or")
        courses = courses.filter(pk__in=[page.pk for page in matching])
    courses = courses.prefetch_related(
        Prefetch("tagged_items", queryset=CourseTag.objects.select_related("tag"))
    ).order_by("title")
    found = list(courses)
    for course in found:
        course.topic_list = [item.tag for item in course.tagged_items.all()]
        # An alias (a course not translated into this language, served under
        # its prefix: courses/languages.py) is marked with its source's.
        course.content_language = (
            course.alias_of.locale.language_code
            if course.alias_of is not None
            else course.locale.language_code
        )
    preferred = {language: 0, settings.LANGUAGE_CODE: 1}
    found.sort(key=lambda c: (preferred.get(c.locale.language_code, 2), c.title))
    seen: set = set()
    result = []
    for course in found:
        if course.translation_key in seen:
            continue
        seen.add(course.translation_key)
        result.append(course)
    return result


def locale_for(language: str) -> Locale | None:
    return Locale.objects.filter(language_code=language).first()


# --- Quizzes ----------------------------------------------------------------


def quiz_results_for(
    *, user, lesson: LessonPage, course: CoursePage
) -> dict[str, QuizResult]:
    """For each quiz of the lesson (of `course`): attempts used and allowed,
    passed, latest and best score, and feedback on the latest attempt. One
    query."""
    quizzes = {block.id: block.value for block in lesson.quizzes}
    results: dict[str, QuizResult] = {}
    attempts: list[QuizAttempt] = []
    if user.is_authenticated and quizzes:
        attempts = list(
            QuizAttempt.objects.filter(user=user, lesson=lesson).order_by(
                "attempt_number", "pk"
            )
        )
    for quiz_id, value in quizzes.items():
        mine = [a for a in attempts if a.quiz_id == quiz_id]
        latest = mine[-1] if mine else None
        results[quiz_id] = QuizResult(
            quiz_id=quiz_id,
            attempts_used=len(mine),
            max_attempts=quiz_max_attempts(quiz_value=value, course=course),
            passed=any(a.passed for a in mine),
            latest_score=latest.score if latest else None,
            best_score=max((a.score for a in mine), default=None),
            latest_questions=(
                quiz_feedback(quiz_value=value, answers=latest.answers)
                if latest
                else []
            ),
        )
    return results


def passed_quiz_keys(*, user, lesson_ids) -> set[tuple[int, str]]:
    """(lesson_id, quiz_id) of every quiz the user has passed among these
    lessons. One query."""
    return set(
        QuizAttempt.objects.filter(
            user=user, lesson_id__in=list(lesson_ids), passed=True
        )
        .values_list("lesson_id", "quiz_id")
        .distinct()
    )


def quiz_keys_for_lessons(*, lessons) -> set[tuple[int, str]]:
    """(lesson_id, quiz_id) of every quiz in these lessons (bodies must be
    loaded: pass LessonPage instances, not deferred ones)."""
    return {(lesson.pk, block.id) for lesson in lessons for block in lesson.quizzes}


def lesson_get_for_user(*, user, lesson_id: int) -> LessonPage:
    """The gatekeeper for lessons asked for by id: 404 unless the lesson is
    live and the user may read it."""
    from django.http import Http404

    from . import access

    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None or not access.can_view_lesson(user, lesson):
        raise Http404("No such lesson.")
    return lesson
