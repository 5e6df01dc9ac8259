from unittest import mock

import pytest
from django.db import transaction

from courses import access as course_access
from courses.models import QuizAttempt
from enrolment import hooks, services
from enrolment.models import Enrolment, LessonProgress
from tests.factories import course_lessons, make_course, make_enrolment


@pytest.fixture
def enrolment(participant, course):
    return make_enrolment(user=participant, course=course)


@pytest.fixture
def completed_hook():
    receiver = mock.Mock()
    hooks.on_course_completed.connect(receiver)
    yield receiver
    hooks.on_course_completed.disconnect(receiver)


def test_lesson_complete_is_idempotent(enrolment, lessons):
    first = services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    second = services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    assert first.pk == second.pk
    assert first.completed_at == second.completed_at
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1


def test_the_last_lesson_completes_the_course_once(
    enrolment, lessons, completed_hook, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        services.lesson_complete(enrolment=enrolment, lesson=lessons[-1])
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_at is not None
    completed_hook.assert_called_once_with(enrolment=mock.ANY)
    assert completed_hook.call_args.kwargs["enrolment"].pk == enrolment.pk


def test_the_hook_runs_inside_the_completing_transaction(
    enrolment, lessons, django_capture_on_commit_callbacks
):
    seen = []

    def receiver(*, enrolment):
        # Inside the transaction, before its commit: the completion is there.
        seen.append(
            (
                transaction.get_autocommit(),
                Enrolment.objects.get(pk=enrolment.pk).status,
            )
        )

    hooks.on_course_completed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False):
            for lesson in lessons:
                services.lesson_complete(enrolment=enrolment, lesson=lesson)
            assert seen == [(False, Enrolment.Status.COMPLETED)]
    finally:
        hooks.on_course_completed.disconnect(receiver)


def test_what_the_completion_owes_rolls_back_with_it(enrolment, lessons):
    from certificates.models import Certificate

    with pytest.raises(RuntimeError), transaction.atomic():
        for lesson in lessons:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        assert Certificate.objects.filter(enrolment=enrolment).exists()
        raise RuntimeError("the completing transaction fails")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert not Certificate.objects.filter(enrolment=enrolment).exists()


def test_after_commit_receivers_wait_for_the_commit(
    enrolment, lessons, django_capture_on_commit_callbacks
):
    receiver = mock.Mock()
    hooks.on_course_completed.connect_after_commit(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            for lesson in lessons:
                services.lesson_complete(enrolment=enrolment, lesson=lesson)
        receiver.assert_not_called()
        for callback in callbacks:  # the commit
            callback()
    finally:
        hooks.on_course_completed.disconnect(receiver)
    receiver.assert_called_once_with(enrolment=mock.ANY)


def test_the_course_is_not_complete_while_a_lesson_is_missing(enrolment, lessons):
    for lesson in lessons[:-1]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


@pytest.fixture
def quiz_course(site):
    return make_course(
        title="With quiz", quiz_in_last_lesson=True, require_quiz_pass=True
    )


def _pass_quiz(user, lesson, score=100, passed=True):
    quiz_id = lesson.quizzes[0].id
    return QuizAttempt.objects.create(
        user=user,
        lesson=lesson,
        quiz_id=quiz_id,
        attempt_number=1,
        score=score,
        passed=passed,
        submission_token=f"t-{score}-{passed}",
    )


def test_a_required_quiz_must_be_passed_before_completion(participant, quiz_course):
    enrolment = make_enrolment(user=participant, course=quiz_course)
    lessons = course_lessons(quiz_course)
    _pass_quiz(participant, lessons[-1], score=20, passed=False)
    for lesson in lessons:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE


def test_passing_the_quiz_marks_its_lesson_done_and_completes_the_course(
    participant, quiz_course
):
    enrolment = make_enrolment(user=participant, course=quiz_course)
    lessons = course_lessons(quiz_course)
    for lesson in lessons[:-1]:
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    attempt = _pass_quiz(participant, lessons[-1], score=80)
    course_access.quiz_passed.send(
        user=participant, lesson=lessons[-1], attempt=attempt
    )
    progress = LessonProgress.objects.get(enrolment=enrolment, lesson=lessons[-1])
    assert progress.quiz_score == 80
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_quizzes_do_not_block_completion_when_the_course_does_not_require_them(
    participant, site
):
    course = make_course(
        title="Lenient", quiz_in_last_lesson=True, require_quiz_pass=False
    )
    enrolment = make_enrolment(user=participant, course=course)
    for lesson in course_lessons(course):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED


def test_a_withdrawn_enrolment_cannot_make_progress(enrolment, lessons):
    services.enrolment_withdraw(enrolment=enrolment)
    with pytest.raises(services.NotEnrolled):
        services.lesson_complete(enrolment=enrolment, lesson=lessons[0])


def test_the_lesson_page_reads_progress_from_the_enrolment_the_policy_granted(
    enrolment, lessons, participant, other_participant, course
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    grant = course_access.lesson_access(participant, lessons[1], course)
    assert grant == enrolment

    provider = course_access.lesson_progress_provider.call
    mine = provider(user=participant, course=course, lesson=lessons[1], grant=grant)
    assert mine["done_lesson_ids"] == {lessons[0].pk}

    # A grant that is not the reader's own enrolment in this course is not
    # trusted: the provider reads the reader's own row.
    make_enrolment(user=other_participant, course=course)
    theirs = provider(
        user=other_participant, course=course, lesson=lessons[1], grant=grant
    )
    assert theirs["done_lesson_ids"] == set()
    other_course = make_course(title="Other", modules=1, lessons_per_module=1)
    assert provider(user=participant, course=other_course, grant=grant) is None

    # Withdrawn: no grant, so no lesson.
    services.enrolment_withdraw(enrolment=enrolment)
    assert course_access.lesson_access(participant, lessons[1], course) is None
