"""Issue 22's whole journey: a participant keeps a course, reads three of its
lessons with the network off, marks two done and answers the quiz; back
online the server holds each once with the time it was done, and finishing
the course online issues the certificate (docs/offline.md)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.browser.data import site_ready
from tests.browser.test_offline_course import CONTROLLED, read_offline
from tests.browser.test_offline_progress import QUEUE_SIZE, QUEUED, answer_the_quiz
from tests.browser.test_participant import wait_for_issued_certificate
from tests.browser.test_weight import signed_in_cookie
from tests.factories import course_lessons, make_course, make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SYNCED = """() => [...document.querySelectorAll("p.offline-note")]
                   .every(p => p.textContent.startsWith("Synced."))"""


def test_a_kept_course_is_learnt_offline_synced_and_certified(
    open_visitor, live_server, participant, tasks
):
    from courses.models import QuizAttempt
    from enrolment.models import Enrolment, LessonProgress

    site_ready()
    course = make_course(
        title="Integration offline",
        modules=2,
        lessons_per_module=2,
        quiz_in_last_lesson=True,
    )
    first, second, third, quiz_lesson = course_lessons(course)
    enrolment = make_enrolment(user=participant, course=course)
    visitor = open_visitor("offline-journey", "en", "phone")
    visitor.context.add_cookies([signed_in_cookie(participant, live_server)])

    page = visitor.goto(course.url, "course")
    page.wait_for_function(CONTROLLED)
    panel = page.locator("[data-keep-course]")
    panel.wait_for(state="visible")
    panel.locator("[data-keep-button]").click()
    page.wait_for_function(
        "() => document.querySelector('[data-keep-course]').dataset.kept"
    )

    visitor.context.set_offline(True)
    offline_from = timezone.now()
    for lesson in (first, second):
        read_offline(page, live_server.url + lesson.url)
        page.locator("form.mark-done button[type=submit]").click()
        page.locator("p.offline-note").wait_for()
        assert page.locator("p.offline-note").inner_text() == QUEUED
    read_offline(page, live_server.url + quiz_lesson.url)
    answer_the_quiz(page)
    page.locator("p.offline-note").wait_for()
    assert page.evaluate(QUEUE_SIZE) == 3
    visitor.screenshot("offline-three-kept")
    assert not LessonProgress.objects.filter(enrolment=enrolment).exists()
    back_online = timezone.now()

    visitor.context.set_offline(False)
    page.wait_for_function(SYNCED)
    assert (
        "You scored 100%: quiz passed." in page.locator("p.offline-note").inner_text()
    )
    assert page.evaluate(QUEUE_SIZE) == 0

    done = {
        p.lesson_id: p.completed_at
        for p in LessonProgress.objects.filter(enrolment=enrolment)
    }
    # The two marks and the lesson the passed quiz completes, each once,
    # dated when they were done offline, not when they arrived.
    assert set(done) == {first.pk, second.pk, quiz_lesson.pk}
    assert all(offline_from <= when <= back_online for when in done.values())
    attempt = QuizAttempt.objects.get(user=participant)
    assert attempt.passed and offline_from <= attempt.created_at <= back_online
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.ACTIVE

    # The last lesson, online: the course is complete and the certificate
    # follows as usual.
    page = visitor.goto(third.url, "last-lesson-online")
    # Online the script keeps a copy first, then posts the form: wait for
    # the post itself, not the page already loaded.
    with page.expect_response(lambda response: "/done/" in response.url):
        page.locator("form.mark-done button[type=submit]").click()
    assert Enrolment.objects.get(pk=enrolment.pk).status == Enrolment.Status.COMPLETED
    visitor.goto("/en/dashboard/", "dashboard")
    wait_for_issued_certificate(visitor, tasks)
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 4
    assert QuizAttempt.objects.filter(user=participant).count() == 1
