"""The course outline leaves out a module none of whose lessons is live: no
empty heading on the course page or in a lesson page's outline, and the
completion rule counts only the lessons a participant can open."""

import pytest

from courses.models import LessonPage, ModulePage
from courses.selectors import course_outline_cached
from enrolment import services
from enrolment.models import Enrolment
from tests.factories import course_lessons, make_course, make_enrolment


@pytest.fixture
def course_with_empty_module(site):
    course = make_course(
        title="Outline course", modules=3, lessons_per_module=2, require_quiz_pass=False
    )
    module = ModulePage.objects.child_of(course).get(title="Module 1")
    for lesson in LessonPage.objects.child_of(module):
        lesson.unpublish()
    return course


def _outline_modules(html: str) -> list[str]:
    import re

    found = re.findall(r'class="outline-module">([^<]*)', html)
    return [title.strip() for title in found]


def test_a_module_without_a_live_lesson_is_not_in_the_outline(
    course_with_empty_module,
):
    outline = course_outline_cached(course=course_with_empty_module)
    assert [module.title for module in outline] == ["Module 2", "Module 3"]


def test_the_course_page_shows_no_empty_module_heading(
    client, course_with_empty_module
):
    body = client.get(course_with_empty_module.url).content.decode()
    assert "Module 2" in body and "Lesson 3.2" in body
    assert "Module 1" not in body


def test_the_lesson_page_outline_shows_no_empty_module(
    client, participant, course_with_empty_module
):
    make_enrolment(user=participant, course=course_with_empty_module)
    client.force_login(participant)
    lesson = course_lessons(course_with_empty_module)[0]
    assert lesson.title == "Lesson 2.1"
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert _outline_modules(response.content.decode()) == ["Module 2", "Module 3"]


def test_the_live_lessons_alone_complete_the_course(
    participant, course_with_empty_module
):
    enrolment = make_enrolment(user=participant, course=course_with_empty_module)
    lessons = course_lessons(course_with_empty_module)
    assert [lesson.title for lesson in lessons] == [
        "Lesson 2.1",
        "Lesson 2.2",
        "Lesson 3.1",
        "Lesson 3.2",
    ]
    for lesson in lessons[:-1]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    services.lesson_complete(enrolment=enrolment, lesson=lessons[-1])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
