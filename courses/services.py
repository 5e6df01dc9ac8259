"""Quiz submission: scored on the server, one attempt per submission token,
the attempts limit held under a row lock and unique constraints."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from . import access
from .models import LessonPage, QuizAttempt

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


class QuizSubmissionError(Exception):
    """A submission that cannot count; nothing was stored. `attempt` is set
    when the same submission had already been recorded."""

    def __init__(self, message, *, attempt: QuizAttempt | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.attempt = attempt


def question_score(
    *, question, options: list[tuple[str, Any]], picked: set[str]
) -> float:
    """1.0 for a fully right answer. Multiple choice earns partial credit:
    (right picks - wrong picks) / right answers, never below zero."""
    right = {key for key, answer in options if answer["correct"]}
    if question["kind"] == "single":
        return 1.0 if len(picked) == 1 and picked <= right else 0.0
    if not right:
        return 1.0 if not picked else 0.0
    hits = len(picked & right)
    misses = len(picked - right)
    return max(0.0, (hits - misses) / len(right))


def quiz_find(*, lesson: LessonPage, quiz_id: str):
    for block in lesson.quizzes:
        if block.id == quiz_id:
            return block.value
    return None


def quiz_clean_answers(
    *, quiz_value, raw: dict[str, list[str]]
) -> dict[str, list[str]]:
    """Check a submission against the quiz: every question answered (exactly
    one answer for a single-choice question), only that question's answers,
    nothing else. Raises QuizSubmissionError."""
    from .selectors import quiz_questions

    cleaned: dict[str, list[str]] = {}
    known_questions = set()
    for qkey, question, options in quiz_questions(quiz_value):
        known_questions.add(qkey)
        picked = [value for value in raw.get(qkey, []) if value]
        if not picked:
            raise QuizSubmissionError(
                _("Please answer every question before submitting.")
            )
        allowed = {key for key, _answer in options}
        if not set(picked) <= allowed:
            raise QuizSubmissionError(
                _("That submission does not match this quiz. Please try again.")
            )
        if len(set(picked)) != len(picked) or (
            question["kind"] == "single" and len(picked) != 1
        ):
            raise QuizSubmissionError(
                _("Choose one answer for each single-choice question.")
            )
        cleaned[qkey] = sorted(picked)
    if set(raw) - known_questions:
        raise QuizSubmissionError(
            _("That submission does not match this quiz. Please try again.")
        )
    return cleaned


def quiz_score(*, quiz_value, answers: dict[str, list[str]]) -> int:
    from .selectors import quiz_questions

    questions = quiz_questions(quiz_value)
    total = sum(
        question_score(question=question, options=options, picked=set(answers[qkey]))
        for qkey, question, options in questions
    )
    return round(100 * total / len(questions)) if questions else 0


def quiz_attempt_submit(
    *,
    user,
    lesson: LessonPage,
    quiz_id: str,
    answers: dict[str, list[str]],
    submission_token: str,
) -> QuizAttempt:
    """Score and store one attempt. Raises QuizSubmissionError (nothing
    stored) for an unknown quiz, a tampered or incomplete submission, a
    repeated token, or when no attempts are left. A passing attempt is
    announced through `access.quiz_passed` inside the same transaction."""
    if not access.can_view_lesson(user, lesson):
        raise QuizSubmissionError(_("You cannot take this quiz."))
    quiz_value = quiz_find(lesson=lesson, quiz_id=quiz_id)
    if quiz_value is None:
        raise QuizSubmissionError(_("This quiz no longer exists on the lesson."))
    if not TOKEN_RE.match(submission_token or ""):
        raise QuizSubmissionError(_("This form has expired. Please try again."))
    cleaned = quiz_clean_answers(quiz_value=quiz_value, raw=answers)
    score = quiz_score(quiz_value=quiz_value, answers=cleaned)
    passed = score >= int(quiz_value["pass_mark"] or 0)
    max_attempts = quiz_value.get("max_attempts") or None

    try:
        with transaction.atomic():
            # Serialise a user's submissions so that racing posts see each
            # other's attempts (the unique constraints back this up).
            get_user_model().objects.select_for_update().filter(pk=user.pk).first()
            previous = QuizAttempt.objects.filter(
                user=user, submission_token=submission_token
            ).first()
            if previous is not None:
                raise QuizSubmissionError(
                    _("This answer was already submitted."), attempt=previous
                )
            used = QuizAttempt.objects.filter(
                user=user, lesson=lesson, quiz_id=quiz_id
            ).count()
            if max_attempts and used >= max_attempts:
                raise QuizSubmissionError(
                    _("You have used all your attempts at this quiz.")
                )
            attempt = QuizAttempt.objects.create(
                user=user,
                lesson=lesson,
                quiz_id=quiz_id,
                attempt_number=used + 1,
                score=score,
                passed=passed,
                answers=cleaned,
                submission_token=submission_token,
            )
            if passed:
                access.quiz_passed.send(user=user, lesson=lesson, attempt=attempt)
    except IntegrityError as exc:
        previous = QuizAttempt.objects.filter(
            user=user, submission_token=submission_token
        ).first()
        if previous is None:  # a racing post took this attempt number
            raise QuizSubmissionError(
                _("Another submission was being saved. Please try again.")
            ) from exc
        raise QuizSubmissionError(
            _("This answer was already submitted."), attempt=previous
        ) from exc
    return attempt
