"""A course whose last step is a quiz (issue 18, item 2): passing it says
that the course is complete and where the certificate will be, a passed quiz
offers no "Try again", and the feedback reads as one verdict per answer."""

from __future__ import annotations

import pytest

from courses.quiz import quiz_questions
from enrolment.models import Enrolment
from enrolment.services import lesson_complete
from tests.factories import course_lessons, make_course, make_enrolment

TOKEN = "q" * 32


@pytest.fixture
def course(site):
    return make_course(modules=1, lessons_per_module=2, quiz_in_last_lesson=True)


def right_answers(lesson) -> tuple[str, dict]:
    block = lesson.quizzes[0]
    data: dict[str, str | list[str]] = {"submission_token": TOKEN}
    for qkey, question, options in quiz_questions(block.value):
        picked = [key for key, answer in options if answer["correct"]]
        data[f"answer-{qkey}"] = picked[:1] if question["kind"] == "single" else picked
    return block.id, data


def test_passing_the_final_quiz_completes_the_course_and_says_so(
    client, participant, course
):
    first, last = course_lessons(course)
    enrolment = make_enrolment(user=participant, course=course)
    lesson_complete(enrolment=enrolment, lesson=first)
    client.force_login(participant)
    quiz_id, data = right_answers(last)

    response = client.post(f"/en/lessons/{last.pk}/quiz/{quiz_id}/", data, follow=True)

    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    html = response.content.decode()
    assert "quiz passed" in html
    assert "you completed the course" in html
    assert "Your certificate is being prepared" in html
    assert (
        'href="/en/dashboard/"' in html.split('class="messages"')[1].split("</div>")[0]
    )
    # Passed: nothing to try again, and one verdict per chosen answer.
    assert "Try again" not in html and "You passed this quiz." in html
    assert "right:" not in html
    assert "Yes: ownership is national." in html


def test_a_passed_quiz_that_does_not_end_the_course_says_nothing_of_completion(
    client, participant, course
):
    _first, last = course_lessons(course)
    make_enrolment(user=participant, course=course)
    client.force_login(participant)
    quiz_id, data = right_answers(last)

    html = client.post(
        f"/en/lessons/{last.pk}/quiz/{quiz_id}/", data, follow=True
    ).content.decode()

    assert "quiz passed" in html
    assert "completed the course" not in html
    assert "certificate is being prepared" not in html
