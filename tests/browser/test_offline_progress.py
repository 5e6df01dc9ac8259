"""Progress made offline (issue 22, item 3; docs/offline.md): with the
network off, "Mark as done" and a quiz answer are kept on the phone and the
page says so; back online they are sent, the page says "synced" with the
quiz's result, and the server holds each once with the time it was done. A
mark for a course the participant left meanwhile is dropped with a message,
and a mark whose post fails while the browser thinks it is online is sent
later."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.browser.data import course_with_quiz, site_ready
from tests.browser.test_weight import signed_in_cookie
from tests.factories import course_lessons, make_course, make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

QUEUED = "Saved on this phone, will sync."
QUEUE_SIZE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("relais-progress", 1);
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const count = open.result.transaction("queue").objectStore("queue").count();
    count.onsuccess = () => { open.result.close(); resolve(count.result); };
  };
})"""
REPOST = """async (item) => {
  const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
  const response = await fetch("/en/progress/sync/", {
    method: "POST",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token},
    body: JSON.stringify({items: [item]}),
  });
  return (await response.json()).results[0].status;
}"""


def answer_the_quiz(page):
    quiz = page.locator("section.quiz form")
    quiz.get_by_label("The government, with civil society").check()
    quiz.get_by_label("Employment").check()
    quiz.get_by_label("Housing").check()
    quiz.locator("button[type=submit]").click()


def test_progress_made_offline_syncs_once_with_its_time(
    open_visitor, participant, live_server
):
    from courses.models import QuizAttempt
    from enrolment.models import Enrolment, LessonProgress, SyncedItem
    from enrolment.services import enrolment_withdraw

    course = course_with_quiz()
    _first, last = course_lessons(course)
    enrolment = make_enrolment(
        user=participant,
        course=course,
        enrolled_at=timezone.now() - dt.timedelta(days=2),
    )
    visitor = open_visitor("offline-progress", "en", "phone")
    visitor.context.add_cookies([signed_in_cookie(participant, live_server)])
    page = visitor.goto(last.url, "lesson-online")
    # The quiz's key stays on the server.
    assert "Yes: ownership is national." not in page.content()

    # The phone's clock says two hours ago: the time the work was done.
    done_at = (timezone.now() - dt.timedelta(hours=2)).replace(microsecond=0)
    page.clock.set_fixed_time(done_at)
    visitor.context.set_offline(True)
    page.locator("form.mark-done button[type=submit]").click()
    answer_the_quiz(page)
    notes = page.locator("p.offline-note")
    notes.nth(1).wait_for()
    assert notes.all_inner_texts() == [QUEUED, QUEUED]
    assert page.evaluate(QUEUE_SIZE) == 2
    visitor.screenshot("queued-offline")
    assert not LessonProgress.objects.filter(enrolment=enrolment).exists()

    visitor.context.set_offline(False)
    page.wait_for_function(
        """() => [...document.querySelectorAll("p.offline-note")]
                 .every(p => p.textContent.startsWith("Synced."))"""
    )
    texts = notes.all_inner_texts()
    assert "Synced." in texts
    assert "Synced. You scored 100%: quiz passed." in texts
    assert page.evaluate(QUEUE_SIZE) == 0
    visitor.screenshot("synced")

    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=last)
    assert progress.completed_at == done_at
    attempt = QuizAttempt.objects.get(user=participant)
    assert attempt.passed and attempt.score == 100 and attempt.created_at == done_at

    # The same mark sent again (a lost answer, a second tab) counts once.
    item = SyncedItem.objects.get(user=participant, kind="lesson_done")
    again = {
        "id": str(item.client_id),
        "kind": "lesson_done",
        "lesson_id": last.pk,
        "done_at": done_at.isoformat(),
    }
    assert page.evaluate(REPOST, again) == "duplicate"
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
    assert QuizAttempt.objects.filter(user=participant).count() == 1

    # The line drops while the browser still thinks it is online: the form
    # posts as usual and fails, and the copy kept first is sent later.
    site_ready()
    other = make_course(title="Border management", modules=1, lessons_per_module=2)
    dropped, lesson = course_lessons(other)
    left = make_enrolment(user=participant, course=other)
    page.clock.set_fixed_time(timezone.now())
    page = visitor.goto(dropped.url, "lesson-line-drops")
    visitor.context.route("**/done/", lambda route: route.abort())
    with page.expect_event("requestfailed"):
        page.locator("form.mark-done button[type=submit]").click()
    visitor.context.unroute("**/done/")
    assert not LessonProgress.objects.filter(enrolment=left).exists()
    with page.expect_response("**/progress/sync/") as synced:
        page = visitor.goto("/en/dashboard/", "dashboard-after-drop")
    assert [r["status"] for r in synced.value.json()["results"]] == ["applied"]
    assert LessonProgress.objects.filter(enrolment=left, lesson=dropped).count() == 1

    # A course left while the phone was offline: the mark is refused, and
    # the queue drops it with the reason.
    page = visitor.goto(lesson.url, "other-lesson-online")
    visitor.context.set_offline(True)
    page.locator("form.mark-done button[type=submit]").click()
    page.locator("p.offline-note").wait_for()
    enrolment_withdraw(enrolment=left)
    visitor.context.set_offline(False)
    page.get_by_text("You are not enrolled in this course.").wait_for()
    assert page.evaluate(QUEUE_SIZE) == 0
    assert not LessonProgress.objects.filter(enrolment=left, lesson=lesson).exists()
    assert Enrolment.objects.get(pk=left.pk).status == Enrolment.Status.WITHDRAWN
    visitor.screenshot("refused")
