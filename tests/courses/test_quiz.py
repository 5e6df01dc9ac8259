import pytest
from django.db import transaction

from courses import access, selectors, services
from courses.models import QuizAttempt
from courses.quiz import quiz_questions
from courses.services import QuizSubmissionError

TOKEN = "t" * 32


@pytest.fixture
def quiz_lesson(lessons):
    return lessons[-1]


@pytest.fixture
def quiz(quiz_lesson):
    block = quiz_lesson.quizzes[0]
    questions = quiz_questions(block.value)
    return block.id, questions


def keys(questions, *, right=True):
    """Answers: every right answer (or every wrong one) per question."""
    result = {}
    for qkey, question, options in questions:
        picked = [k for k, a in options if bool(a["correct"]) == right]
        result[qkey] = picked[:1] if question["kind"] == "single" else picked
    return result


def submit(user, lesson, quiz_id, answers, token=TOKEN):
    return services.quiz_attempt_submit(
        user=user,
        lesson=lesson,
        quiz_id=quiz_id,
        answers=answers,
        submission_token=token,
    )


def test_all_right_answers_score_100_and_pass(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    attempt = submit(allow, quiz_lesson, quiz_id, keys(questions))
    assert (attempt.score, attempt.passed, attempt.attempt_number) == (100, True, 1)


def test_wrong_answers_score_0_and_fail(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    attempt = submit(allow, quiz_lesson, quiz_id, keys(questions, right=False))
    assert (attempt.score, attempt.passed) == (0, False)


def test_multiple_choice_earns_partial_credit(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    answers = keys(questions)
    multiple = next(q for q in questions if q[1]["kind"] == "multiple")
    answers[multiple[0]] = answers[multiple[0]][:1]  # one of the two right answers
    attempt = submit(allow, quiz_lesson, quiz_id, answers)
    assert attempt.score == 75  # (1 + 0.5) / 2


def test_a_wrong_pick_cancels_a_right_one_in_multiple_choice(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    answers = keys(questions)
    qkey, _question, options = next(q for q in questions if q[1]["kind"] == "multiple")
    answers[qkey] = [k for k, _a in options]  # ticks everything
    assert submit(allow, quiz_lesson, quiz_id, answers).score == 75  # (1 + 1/2) / 2


def test_answer_naming_another_questions_answer_is_refused(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    answers = keys(questions)
    first, second = questions[0][0], questions[1][0]
    answers[first] = [questions[1][2][0][0]]
    with pytest.raises(QuizSubmissionError, match="does not match"):
        submit(allow, quiz_lesson, quiz_id, answers)
    assert not QuizAttempt.objects.exists()
    assert second in answers


def test_missing_answer_is_refused_and_nothing_stored(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    answers = keys(questions)
    del answers[questions[1][0]]
    with pytest.raises(QuizSubmissionError, match="answer every question"):
        submit(allow, quiz_lesson, quiz_id, answers)
    assert not QuizAttempt.objects.exists()


def test_two_answers_to_a_single_choice_question_are_refused(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    answers = keys(questions)
    answers[questions[0][0]] = [k for k, _a in questions[0][2]]
    with pytest.raises(QuizSubmissionError):
        submit(allow, quiz_lesson, quiz_id, answers)
    assert not QuizAttempt.objects.exists()


def test_unknown_quiz_id_is_refused(allow, quiz_lesson, quiz):
    _quiz_id, questions = quiz
    with pytest.raises(QuizSubmissionError, match="no longer exists"):
        submit(allow, quiz_lesson, "not-a-quiz", keys(questions))
    assert not QuizAttempt.objects.exists()


def test_double_post_with_the_same_token_counts_once(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    first = submit(allow, quiz_lesson, quiz_id, keys(questions))
    with pytest.raises(QuizSubmissionError, match="already submitted") as info:
        submit(allow, quiz_lesson, quiz_id, keys(questions, right=False))
    assert info.value.attempt == first
    assert QuizAttempt.objects.count() == 1


def test_attempts_limit_is_enforced(allow, quiz_lesson, quiz):
    quiz_id, questions = quiz
    body = quiz_lesson.body
    body[len(body) - 1].value["max_attempts"] = 2
    quiz_lesson.save_revision().publish()
    quiz_lesson.refresh_from_db()
    submit(allow, quiz_lesson, quiz_id, keys(questions, right=False), token="a" * 20)
    submit(allow, quiz_lesson, quiz_id, keys(questions, right=False), token="b" * 20)
    with pytest.raises(QuizSubmissionError, match="all your attempts"):
        submit(allow, quiz_lesson, quiz_id, keys(questions), token="c" * 20)
    assert QuizAttempt.objects.count() == 2


def test_a_user_without_access_cannot_submit(participant, quiz_lesson, quiz):
    quiz_id, questions = quiz
    with pytest.raises(QuizSubmissionError):
        submit(participant, quiz_lesson, quiz_id, keys(questions))
    assert not QuizAttempt.objects.exists()


def test_passing_announces_quiz_passed_inside_the_attempt_transaction(
    allow, quiz_lesson, quiz
):
    quiz_id, questions = quiz
    seen = []

    def receiver(*, user, lesson, attempt):
        seen.append(
            (user, lesson.pk, attempt.pk, transaction.get_connection().in_atomic_block)
        )

    access.quiz_passed.connect(receiver)
    try:
        attempt = submit(allow, quiz_lesson, quiz_id, keys(questions))
        submit(
            allow, quiz_lesson, quiz_id, keys(questions, right=False), token="z" * 20
        )
    finally:
        access.quiz_passed.disconnect(receiver)
    assert seen == [(allow, quiz_lesson.pk, attempt.pk, True)]


def test_passed_quiz_keys_and_quiz_keys_for_lessons(allow, lessons, quiz_lesson, quiz):
    quiz_id, questions = quiz
    ids = [lesson.pk for lesson in lessons]
    wanted = selectors.quiz_keys_for_lessons(lessons=lessons)
    assert wanted == {(quiz_lesson.pk, quiz_id)}
    assert selectors.passed_quiz_keys(user=allow, lesson_ids=ids) == set()
    submit(allow, quiz_lesson, quiz_id, keys(questions))
    assert selectors.passed_quiz_keys(user=allow, lesson_ids=ids) == wanted


# --- Through the lesson page and the view -----------------------------------


def feedback_texts(questions):
    return [
        a["feedback"]
        for _q, _question, opts in questions
        for _k, a in opts
        if a["feedback"]
    ]


def test_lesson_page_never_shows_the_answer_key_before_submission(
    client, allow, quiz_lesson, quiz
):
    _quiz_id, questions = quiz
    client.force_login(allow)
    body = client.get(quiz_lesson.url).content.decode()
    assert "Who leads a national integration plan?" in body
    for text in feedback_texts(questions):
        assert text not in body
    assert "correct" not in body.lower()


def test_view_scores_and_lesson_page_shows_feedback_after_submission(
    client, allow, quiz_lesson, quiz
):
    quiz_id, questions = quiz
    client.force_login(allow)
    data = {"submission_token": TOKEN}
    for qkey, answer_keys in keys(questions).items():
        data[f"answer-{qkey}"] = answer_keys
    url = f"/en/lessons/{quiz_lesson.pk}/quiz/{quiz_id}/"
    response = client.post(url, data)
    assert response.status_code == 302
    assert QuizAttempt.objects.get().score == 100
    client.post(url, data)  # the same form posted twice
    assert QuizAttempt.objects.count() == 1
    body = client.get(quiz_lesson.url).content.decode()
    assert "Yes: ownership is national." in body
    assert "already submitted" in body


def test_view_answers_404_to_an_outsider_asking_by_id(
    client, outsider, quiz_lesson, quiz
):
    quiz_id, _questions = quiz
    client.force_login(outsider)
    response = client.post(
        f"/en/lessons/{quiz_lesson.pk}/quiz/{quiz_id}/", {"submission_token": TOKEN}
    )
    assert response.status_code == 404
    assert not QuizAttempt.objects.exists()


def test_view_sends_anonymous_visitors_to_sign_in(client, quiz_lesson, quiz):
    quiz_id, _questions = quiz
    response = client.post(f"/en/lessons/{quiz_lesson.pk}/quiz/{quiz_id}/", {})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_view_with_unknown_quiz_id_shows_a_message_and_stores_nothing(
    client, allow, quiz_lesson
):
    client.force_login(allow)
    response = client.post(
        f"/en/lessons/{quiz_lesson.pk}/quiz/nope/",
        {"submission_token": TOKEN},
        follow=True,
    )
    assert "no longer exists" in response.content.decode()
    assert not QuizAttempt.objects.exists()


def _tot_quiz(site):
    from tests.factories import course_lessons, make_course

    tot = make_course(
        title="ToT basics",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=1,
        quiz_in_last_lesson=True,
    )
    lesson = course_lessons(tot)[-1]
    block = lesson.quizzes[0]
    return tot, lesson, block.id, quiz_questions(block.value)


def test_a_train_the_trainer_quiz_without_its_own_limit_has_the_platform_limit(
    allow, site, settings
):
    settings.RELAIS_TOT_QUIZ_ATTEMPTS = 2
    tot, lesson, quiz_id, questions = _tot_quiz(site)
    assert lesson.quizzes[0].value.get("max_attempts") is None
    wrong = keys(questions, right=False)
    for n in range(2):
        submit(allow, lesson, quiz_id, wrong, token=f"{'w' * 30}{n:02d}")
    with pytest.raises(QuizSubmissionError, match="used all your attempts"):
        submit(allow, lesson, quiz_id, keys(questions), token="r" * 32)
    assert QuizAttempt.objects.filter(user=allow, passed=True).count() == 0
    result = selectors.quiz_results_for(user=allow, lesson=lesson, course=tot)
    assert (result[quiz_id].max_attempts, result[quiz_id].can_attempt) == (2, False)


def test_a_self_paced_quiz_without_its_own_limit_stays_unlimited(
    allow, quiz_lesson, quiz, course, settings
):
    settings.RELAIS_TOT_QUIZ_ATTEMPTS = 1
    quiz_id, questions = quiz
    wrong = keys(questions, right=False)
    for n in range(3):
        submit(allow, quiz_lesson, quiz_id, wrong, token=f"{'w' * 30}{n:02d}")
    assert QuizAttempt.objects.filter(user=allow).count() == 3
    result = selectors.quiz_results_for(user=allow, lesson=quiz_lesson, course=course)
    assert result[quiz_id].max_attempts is None
