"""Progress made offline and sent later (issue 22, item 3): the sync
endpoint applies each item once, keeps its original time within bounds,
scores quizzes on the server, refuses per item what the participant may no
longer do, and changes nothing for a batch it cannot read."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from courses.models import QuizAttempt
from courses.quiz import quiz_questions
from enrolment.models import Enrolment, LessonProgress, SyncedItem
from enrolment.services import enrolment_withdraw, lesson_complete
from tests.factories import course_lessons, make_course, make_enrolment

URL = "/en/progress/sync/"
FIXED_ID = "6f1c1d2e-0000-4000-8000-000000000001"


@pytest.fixture
def course(site):
    return make_course(modules=1, lessons_per_module=2, quiz_in_last_lesson=True)


@pytest.fixture
def enrolment(participant, course):
    return make_enrolment(
        user=participant,
        course=course,
        enrolled_at=timezone.now() - dt.timedelta(days=10),
    )


@pytest.fixture
def signed_in(client, participant):
    client.force_login(participant)
    return client


def mark(lesson, *, at=None, client_id=None) -> dict:
    return {
        "id": str(client_id or uuid.uuid4()),
        "kind": "lesson_done",
        "lesson_id": lesson.pk,
        "done_at": (at or timezone.now()).isoformat(),
    }


def quiz(lesson, *, right=True, at=None, client_id=None) -> dict:
    block = lesson.quizzes[0]
    answers = {}
    for qkey, question, options in quiz_questions(block.value):
        keys = [key for key, answer in options if answer["correct"] == right]
        answers[qkey] = keys[:1] if question["kind"] == "single" else keys
    return {
        "id": str(client_id or uuid.uuid4()),
        "kind": "quiz",
        "lesson_id": lesson.pk,
        "quiz_id": block.id,
        "answers": answers,
        "done_at": (at or timezone.now()).isoformat(),
    }


def sync(client, *items, body=None):
    return client.post(
        URL,
        body if body is not None else json.dumps({"items": list(items)}),
        content_type="application/json",
    )


def progress(enrolment):
    return LessonProgress.objects.filter(enrolment=enrolment)


def test_a_mark_sent_twice_counts_once(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    item = mark(first, at=timezone.now() - dt.timedelta(hours=3))

    answers = [sync(signed_in, item).json()["results"][0] for _ in range(2)]

    assert [a["status"] for a in answers] == ["applied", "duplicate"]
    assert progress(enrolment).count() == 1
    assert SyncedItem.objects.filter(client_id=item["id"]).count() == 1


def test_a_mark_keeps_the_time_it_was_done(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    done = timezone.now() - dt.timedelta(hours=3)

    sync(signed_in, mark(first, at=done))

    assert progress(enrolment).get().completed_at == done


def test_a_time_in_the_future_is_clamped_to_now(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    before = timezone.now()

    sync(signed_in, mark(first, at=before + dt.timedelta(days=30)))

    assert before <= progress(enrolment).get().completed_at <= timezone.now()


def test_a_time_before_the_enrolment_is_clamped_to_it(signed_in, enrolment, course):
    first, _last = course_lessons(course)

    sync(signed_in, mark(first, at=enrolment.enrolled_at - dt.timedelta(days=400)))

    assert progress(enrolment).get().completed_at == enrolment.enrolled_at


def test_a_withdrawn_course_is_refused_and_the_others_apply(
    signed_in, participant, enrolment, course
):
    other = make_course(title="Other course", modules=1, lessons_per_module=1)
    kept = make_enrolment(user=participant, course=other)
    first, _last = course_lessons(course)
    enrolment_withdraw(enrolment=enrolment)

    response = sync(signed_in, mark(first), mark(course_lessons(other)[0]))

    results = response.json()["results"]

    assert [r["status"] for r in results] == ["refused", "applied"]
    assert results[0]["message"] == "You are not enrolled in this course."
    assert not progress(enrolment).exists()
    assert progress(kept).count() == 1


def test_the_refusal_is_in_the_participant_s_language(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    enrolment_withdraw(enrolment=enrolment)

    response = signed_in.post(
        "/fr/progress/sync/",
        json.dumps({"items": [mark(first)]}),
        content_type="application/json",
    )

    message = response.json()["results"][0]["message"]
    assert message != "You are not enrolled in this course."
    assert "inscrit" in message


def test_an_outsider_s_marks_are_refused(client, outsider, enrolment, course):
    client.force_login(outsider)
    first, _last = course_lessons(course)

    results = sync(client, mark(first)).json()["results"]

    assert results[0]["status"] == "refused"
    assert not LessonProgress.objects.exists()
    assert not SyncedItem.objects.exists()


def test_an_unknown_lesson_is_refused(signed_in, enrolment):
    item = mark(enrolment.course)  # a page, but no lesson
    results = sync(signed_in, item).json()["results"]
    assert results[0]["status"] == "refused"
    assert "no longer available" in results[0]["message"]


def test_anonymous_is_refused(client, enrolment, course):
    first, _last = course_lessons(course)

    response = sync(client, mark(first))

    assert response.status_code == 403
    assert not LessonProgress.objects.exists()


def test_without_the_csrf_token_nothing_applies(participant, enrolment, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(participant)
    first, _last = course_lessons(course)

    assert sync(client, mark(first)).status_code == 403
    assert not progress(enrolment).exists()

    client.get("/en/dashboard/")  # the page sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        URL,
        json.dumps({"items": [mark(first)]}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 200
    assert progress(enrolment).count() == 1


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([]),
        json.dumps({"items": []}),
        json.dumps({"items": [{"id": "x", "kind": "lesson_done"}]}),
        json.dumps({"items": [{"id": FIXED_ID, "kind": "dance", "lesson_id": 1}]}),
    ],
    ids=["not-json", "a-list", "no-items", "bad-id", "unknown-kind"],
)
def test_a_batch_that_cannot_be_read_is_400_and_changes_nothing(
    signed_in, enrolment, course, body
):
    response = sync(signed_in, body=body)

    assert response.status_code == 400
    assert response.json()["error"]
    assert not LessonProgress.objects.exists()


def test_one_bad_item_refuses_the_whole_batch(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    bad = mark(first)
    bad["done_at"] = "yesterday"

    response = sync(signed_in, mark(first), bad)

    assert response.status_code == 400
    assert not progress(enrolment).exists()


def test_a_batch_is_bounded(signed_in, enrolment, course):
    first, _last = course_lessons(course)

    response = sync(signed_in, *[mark(first) for _ in range(51)])

    assert response.status_code == 400
    assert "at most 50" in response.json()["error"]
    assert not progress(enrolment).exists()


def test_an_offline_quiz_is_scored_on_sync_and_stored_once_with_its_time(
    signed_in, participant, enrolment, course
):
    _first, last = course_lessons(course)
    done = timezone.now() - dt.timedelta(hours=2)
    item = quiz(last, right=False, at=done)

    answers = [sync(signed_in, item).json()["results"][0] for _ in range(2)]

    assert [a["status"] for a in answers] == ["applied", "duplicate"]
    assert answers[0]["score"] == 0 and answers[0]["passed"] is False
    assert answers[1]["score"] == 0
    assert "not passed yet" in answers[0]["message"]
    attempt = QuizAttempt.objects.get(user=participant)
    assert attempt.created_at == done
    assert attempt.submission_token == item["id"]


def test_a_quiz_without_attempts_left_is_refused(signed_in, participant, settings):
    settings.RELAIS_TOT_QUIZ_ATTEMPTS = 1
    tot = make_course(
        title="ToT",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=1,
        quiz_in_last_lesson=True,
    )
    make_enrolment(user=participant, course=tot)
    (lesson,) = course_lessons(tot)

    results = sync(
        signed_in, quiz(lesson, right=False), quiz(lesson, right=False)
    ).json()["results"]

    assert [r["status"] for r in results] == ["applied", "refused"]
    assert "all your attempts" in results[1]["message"]
    assert QuizAttempt.objects.filter(user=participant).count() == 1


def test_completing_the_course_by_sync_issues_the_certificate(
    signed_in, participant, enrolment, course
):
    from certificates.models import Certificate

    first, last = course_lessons(course)
    quiz_done = timezone.now() - dt.timedelta(hours=1)

    response = sync(signed_in, mark(first), quiz(last, right=True, at=quiz_done))

    results = response.json()["results"]

    assert [r["status"] for r in results] == ["applied", "applied"]
    assert results[1]["passed"] is True and results[1]["completed_course"] is True
    assert "you completed the course" in results[1]["message"]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.filter(enrolment=enrolment).count() == 1
    # The passed quiz marked its lesson done at the time it was answered.
    assert progress(enrolment).get(lesson=last).completed_at == quiz_done


def test_an_item_already_done_online_is_kept_as_it_was(signed_in, enrolment, course):
    first, _last = course_lessons(course)
    lesson_complete(enrolment=enrolment, lesson=first)
    online = progress(enrolment).get().completed_at

    sync(signed_in, mark(first, at=online - dt.timedelta(hours=1)))

    assert progress(enrolment).get().completed_at == online


def test_the_lesson_page_names_the_sync_endpoint_and_hides_the_key(
    signed_in, enrolment, course
):
    _first, last = course_lessons(course)

    html = signed_in.get(last.url).content.decode()

    assert 'data-sync-url="/en/progress/sync/"' in html
    assert 'data-offline="quiz"' in html and 'data-offline="lesson_done"' in html
    assert "Saved on this phone, will sync." in html
    # The key stays on the server: no verdict, no feedback, no "correct".
    assert "correct" not in html.lower().replace("incorrect", "")
    assert "Yes: ownership is national." not in html


def test_a_quiz_posted_online_and_sent_again_by_the_phone_counts_once(
    signed_in, participant, enrolment, course
):
    _first, last = course_lessons(course)
    item = quiz(last, right=True)
    form = {"submission_token": item["id"]}
    form.update({f"answer-{q}": picks for q, picks in item["answers"].items()})
    signed_in.post(f"/en/lessons/{last.pk}/quiz/{item['quiz_id']}/", form)

    result = sync(signed_in, item).json()["results"][0]

    assert result["status"] == "applied" and result["score"] == 100
    assert QuizAttempt.objects.filter(user=participant).count() == 1


def test_the_dashboard_sends_what_the_phone_kept(signed_in, enrolment):
    html = signed_in.get("/en/dashboard/").content.decode()

    assert 'data-sync-url="/en/progress/sync/"' in html
    assert "js/offline-progress.js" in html
