"""The course page and the dashboard show where a participant stands
(issue 18, items 1, 3 and 5): enrolled or completed people see their state
and the way on, never the enrolment forms; "Continue" opens the next lesson
not done yet; a withdrawn participant can re-join."""

from __future__ import annotations

import pytest
from django.urls import reverse

from enrolment.models import Enrolment
from enrolment.services import enrolment_withdraw, lesson_complete
from tests.factories import course_lessons, make_cohort, make_course, make_enrolment


@pytest.fixture
def course(site):
    course = make_course(modules=2, lessons_per_module=2)
    make_cohort(course=course, name="Cohort with a key")
    return course


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_an_enrolled_participant_sees_their_state_not_the_forms(
    client, participant, course
):
    first, second, third, _fourth = course_lessons(course)
    enrolment = make_enrolment(user=participant, course=course)
    client.force_login(participant)
    page(client, first.url)  # read lesson 1 ...
    lesson_complete(enrolment=enrolment, lesson=first)
    lesson_complete(enrolment=enrolment, lesson=second)  # ... and finish two

    html = page(client, course.url)

    assert "You are enrolled" in html
    assert (
        f'action="{reverse("course_enrol", kwargs={"course_id": course.pk})}"'
        not in html
    )
    assert 'name="key"' not in html
    # "Continue" opens the first lesson not done after the last one read.
    assert f'class="button" href="{third.url}"' in html


def test_continue_on_the_dashboard_skips_the_lessons_already_done(
    client, participant, course
):
    first, second, third, _fourth = course_lessons(course)
    enrolment = make_enrolment(user=participant, course=course)
    client.force_login(participant)
    page(client, second.url)  # the last lesson read
    lesson_complete(enrolment=enrolment, lesson=second)
    lesson_complete(enrolment=enrolment, lesson=third)

    html = page(client, reverse("dashboard"))

    links = html.split("Continue where I left off")[0].rsplit('href="', 1)[1]
    assert links.startswith(f'{_fourth.url}"')
    # Back from the last lesson, the first one not done comes next.
    page(client, _fourth.url)
    lesson_complete(enrolment=enrolment, lesson=_fourth)
    html = page(client, reverse("dashboard"))
    assert f'href="{first.url}"' in html


def test_a_completed_participant_sees_completion_and_the_certificate(
    client, participant, course
):
    enrolment = make_enrolment(user=participant, course=course)
    for lesson in course_lessons(course):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    client.force_login(participant)

    html = page(client, course.url)
    assert "Your certificate is on your dashboard." in html
    assert "Review the course" in html
    assert 'name="key"' not in html and "You are enrolled" not in html

    dashboard = page(client, reverse("dashboard"))
    assert "You are not enrolled in any course yet." not in dashboard
    assert "No course in progress." in dashboard


def test_a_withdrawn_participant_can_rejoin_from_the_course_page(
    client, participant, course
):
    enrolment = make_enrolment(user=participant, course=course)
    enrolment_withdraw(enrolment=enrolment, actor=participant)
    client.force_login(participant)

    html = page(client, course.url)
    assert "Withdrawn" in html and "Re-join" in html

    client.post(reverse("course_enrol", kwargs={"course_id": course.pk}))
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert "You are enrolled" in page(client, course.url)
