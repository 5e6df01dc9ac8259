from __future__ import annotations

import pytest

from courses import access
from tests.factories import course_lessons, make_course


@pytest.fixture
def course(site):
    return make_course(
        title="Integration basics",
        modules=2,
        lessons_per_module=2,
        quiz_in_last_lesson=True,
    )


@pytest.fixture
def lessons(course):
    return course_lessons(course)


@pytest.fixture
def allow(participant):
    """Let `participant` (only) read every lesson, as enrolment will."""

    def policy(*, user, course):
        return user.pk == participant.pk

    with access.lesson_access_policy.replaced(policy):
        yield participant


@pytest.fixture
def editor(admin_user):
    return admin_user
