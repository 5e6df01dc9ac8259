"""The one place that decides who may read a lesson, and what a lesson page
shows about the reader's progress.

`courses` knows nothing of enrolments: the enrolment app connects its policy
and its progress provider to these hooks when it loads. Until then, only
editors (and, on a dev machine, nobody else) may read lessons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from relais.hooks import Hook

if TYPE_CHECKING:
    from .models import CoursePage, LessonPage

# receiver(user, course) -> bool
lesson_access_policy = Hook("lesson_access_policy")
# receiver(user, course, lessons) -> dict: progress facts for the page context
lesson_progress_provider = Hook("lesson_progress_provider")
# receiver(user, lesson, attempt): a quiz attempt that passed
quiz_passed = Hook("quiz_passed")


def user_is_editor(user) -> bool:
    return bool(
        user.is_authenticated
        and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def can_view_lesson(user, lesson: LessonPage, course: CoursePage | None = None) -> bool:
    if user_is_editor(user):
        return True
    if not user.is_authenticated:
        return False
    course = course or lesson.get_course()
    return bool(lesson_access_policy.first(default=False, user=user, course=course))
