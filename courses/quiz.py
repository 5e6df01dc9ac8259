"""Quiz scoring: the questions and answers of a quiz block, how a
submission is checked and scored, and the feedback shown after it. Pure
functions of the block's value and the answers: no database, so that the
selectors (what a participant sees) and the services (what is stored) both
use them without importing each other."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import CoursePage, LessonPage, QuizAttempt


class QuizSubmissionError(Exception):
    """A submission that cannot count; nothing was stored. `attempt` is set
    when the same submission had already been recorded."""

    def __init__(self, message, *, attempt: QuizAttempt | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.attempt = attempt


@dataclass
class QuestionResult:
    text: str
    score: float
    chosen: list[dict] = field(default_factory=list)  # {text, correct, feedback}


@dataclass
class QuizResult:
    quiz_id: str
    attempts_used: int
    max_attempts: int | None
    passed: bool
    latest_score: int | None
    best_score: int | None
    latest_questions: list[QuestionResult] = field(default_factory=list)

    @property
    def attempts_left(self) -> int | None:
        if not self.max_attempts:
            return None
        return max(0, self.max_attempts - self.attempts_used)

    @property
    def can_attempt(self) -> bool:
        return self.attempts_left is None or self.attempts_left > 0


def question_key(child, index: int) -> str:
    return child.id or f"q{index}"


def answer_key(child, index: int) -> str:
    return child.id or f"a{index}"


def quiz_questions(quiz_value) -> list[tuple[str, Any, list[tuple[str, Any]]]]:
    """[(question_key, question, [(answer_key, answer), ...]), ...]"""
    result = []
    for qi, qchild in enumerate(quiz_value["questions"].bound_blocks):
        answers = [
            (answer_key(achild, ai), achild.value)
            for ai, achild in enumerate(qchild.value["answers"].bound_blocks)
        ]
        result.append((question_key(qchild, qi), qchild.value, answers))
    return result


def quiz_feedback(*, quiz_value, answers: dict[str, list[str]]) -> list[QuestionResult]:
    results = []
    for qkey, question, options in quiz_questions(quiz_value):
        picked = set(answers.get(qkey, []))
        chosen = [
            {
                "text": answer["text"],
                "correct": bool(answer["correct"]),
                "feedback": answer["feedback"],
            }
            for akey, answer in options
            if akey in picked
        ]
        score = question_score(question=question, options=options, picked=picked)
        results.append(
            QuestionResult(text=question["text"], score=score, chosen=chosen)
        )
    return results


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


def quiz_max_attempts(*, quiz_value, course: CoursePage | None) -> int | None:
    """The attempts a quiz allows: its own limit, or for a train-the-trainer
    course `RELAIS_TOT_QUIZ_ATTEMPTS` (passing it makes a trainer, so it is
    not to be passed by trying every answer in turn); None for unlimited."""
    own = quiz_value.get("max_attempts") or None
    if own:
        return own
    if course is not None and course.is_train_the_trainer:
        return settings.RELAIS_TOT_QUIZ_ATTEMPTS
    return None


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
    questions = quiz_questions(quiz_value)
    total = sum(
        question_score(question=question, options=options, picked=set(answers[qkey]))
        for qkey, question, options in questions
    )
    return round(100 * total / len(questions)) if questions else 0
