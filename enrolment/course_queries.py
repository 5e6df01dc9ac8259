"""What enrolment needs to know about a course's structure and quiz results.

Uses `courses.selectors` when the courses app provides it; until then (or if
a function is missing) falls back to the same queries written here against
`courses.models`. Every function runs a fixed number of queries."""

from __future__ import annotations

from django.db.models.functions import Substr

from courses.models import CoursePage, LessonPage, QuizAttempt

try:  # pragma: no cover - depends on the courses app's progress
    from courses import selectors as _course_selectors
except ImportError:  # pragma: no cover
    _course_selectors = None


def _selector(name: str):
    return getattr(_course_selectors, name, None) if _course_selectors else None


def course_lessons_qs(*, course: CoursePage):
    return LessonPage.objects.live().descendant_of(course).order_by("path")


def quiz_keys_for_lessons(*, lessons) -> set[tuple[int, str]]:
    fn = _selector("quiz_keys_for_lessons")
    if fn is not None:
        return set(fn(lessons=lessons))
    keys: set[tuple[int, str]] = set()
    for lesson in lessons:
        for block in lesson.body:
            if block.block_type == "quiz":
                keys.add((lesson.pk, str(block.id)))
    return keys


def passed_quiz_keys(*, user, lesson_ids) -> set[tuple[int, str]]:
    fn = _selector("passed_quiz_keys")
    if fn is not None:
        return set(fn(user=user, lesson_ids=lesson_ids))
    return set(
        QuizAttempt.objects.filter(user=user, lesson_id__in=lesson_ids, passed=True)
        .values_list("lesson_id", "quiz_id")
        .distinct()
    )


def module_path_expr(*, course: CoursePage):
    """The path prefix of a lesson's module (lessons sit two levels under the
    course), as a database expression."""
    return Substr("path", 1, (course.depth + 1) * LessonPage.steplen)


def lesson_course(*, lesson: LessonPage) -> CoursePage:
    return CoursePage.objects.ancestor_of(lesson).get()
