"""Quiz submission: scored on the server, one attempt per submission token,
the attempts limit held under a row lock and unique constraints."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from . import access, selectors
from .models import LessonPage, QuizAttempt
from .quiz import (
    QuizSubmissionError,
    quiz_clean_answers,
    quiz_find,
    quiz_max_attempts,
    quiz_score,
)

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def quiz_attempt_submit(
    *,
    user,
    lesson: LessonPage,
    quiz_id: str,
    answers: dict[str, list[str]],
    submission_token: str,
    submitted_at: datetime | None = None,
) -> QuizAttempt:
    """Score and store one attempt. Raises QuizSubmissionError (nothing
    stored) for an unknown quiz, a tampered or incomplete submission, a
    repeated token, or when no attempts are left. A passing attempt is
    announced through `access.quiz_passed` inside the same transaction.
    `submitted_at`: when the answer was given, for one given offline and sent
    later (the caller bounds it); the attempt is stored with that time."""
    course = selectors.course_get_for_lesson(lesson=lesson)
    if not access.can_view_lesson(user, lesson, course):
        raise QuizSubmissionError(_("You cannot take this quiz."))
    quiz_value = quiz_find(lesson=lesson, quiz_id=quiz_id)
    if quiz_value is None:
        raise QuizSubmissionError(_("This quiz no longer exists on the lesson."))
    if not TOKEN_RE.match(submission_token or ""):
        raise QuizSubmissionError(_("This form has expired. Please try again."))
    cleaned = quiz_clean_answers(quiz_value=quiz_value, raw=answers)
    score = quiz_score(quiz_value=quiz_value, answers=cleaned)
    passed = score >= int(quiz_value["pass_mark"] or 0)
    max_attempts = quiz_max_attempts(quiz_value=quiz_value, course=course)

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
            if submitted_at is not None:  # created_at is set on insert
                QuizAttempt.objects.filter(pk=attempt.pk).update(
                    created_at=submitted_at
                )
                attempt.created_at = submitted_at
            if passed:
                outcomes = access.quiz_passed.send(
                    user=user, lesson=lesson, attempt=attempt
                )
                attempt.completed_course = any(done is True for done in outcomes)
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
