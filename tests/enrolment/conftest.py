import pytest

from tests.factories import course_lessons, make_cohort, make_course


@pytest.fixture
def course(site):
    return make_course(title="Integration", modules=2, lessons_per_module=2)


@pytest.fixture
def lessons(course):
    return course_lessons(course)


@pytest.fixture
def cohort(course, trainer):
    return make_cohort(
        course=course, name="Kampala 2026", trainer=trainer, country="UG"
    )
