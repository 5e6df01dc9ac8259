"""Course content as Wagtail pages: the catalogue, courses, modules and
lessons, and the quiz attempts of lessons (one module each, so that none
grows past a few hundred lines)."""

from .catalogue import CourseIndexPage
from .courses import CoursePage, CourseTag
from .lessons import LessonPage, ModulePage, QuizAttempt

__all__ = [
    "CourseIndexPage",
    "CoursePage",
    "CourseTag",
    "LessonPage",
    "ModulePage",
    "QuizAttempt",
]
