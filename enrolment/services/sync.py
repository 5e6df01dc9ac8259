"""Progress made offline and sent later (docs/offline.md, "Progress made
offline"): a batch of "Mark as done" and quiz answers from a phone, each with
the id the phone made for it and the time it was done. Each item applies on
its own (one refused leaves the others), and an item sent twice counts once:
its `SyncedItem` row is written in the same transaction as its effect."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from courses import selectors as course_selectors
from courses.models import LessonPage
from courses.quiz import QuizSubmissionError
from courses.services import quiz_attempt_submit

from ..access import seated_enrolment
from ..models import Enrolment, SyncedItem
from .errors import NotEnrolled
from .progress import lesson_complete, time_bounded

MAX_ITEMS = 50  # a day offline is a few dozen marks; a phone sends in batches
MAX_QUESTIONS = 100
MAX_PICKS = 20
KINDS = {kind.value for kind in SyncedItem.Kind}
RESULT_FIELDS = ("score", "passed", "completed_course")


class SyncInputError(Exception):
    """A batch that cannot be read: nothing in it was applied."""

    def __init__(self, message=None) -> None:
        self.message = message or gettext_lazy(
            "The progress sent from this phone could not be read."
        )
        super().__init__(str(self.message))


@dataclass
class SyncItem:
    client_id: uuid.UUID
    kind: str
    lesson_id: int
    done_at: datetime
    quiz_id: str = ""
    answers: dict[str, list[str]] = field(default_factory=dict)


def _answers(raw) -> dict[str, list[str]]:
    if not isinstance(raw, dict) or len(raw) > MAX_QUESTIONS:
        raise SyncInputError()
    answers = {}
    for key, picks in raw.items():
        if (
            not isinstance(picks, list)
            or len(picks) > MAX_PICKS
            or not all(isinstance(p, str) and len(p) <= 64 for p in picks)
            or len(key) > 64
        ):
            raise SyncInputError()
        answers[key] = picks
    return answers


def _item(raw) -> SyncItem:
    if not isinstance(raw, dict) or raw.get("kind") not in KINDS:
        raise SyncInputError()
    lesson_id = raw.get("lesson_id")
    if type(lesson_id) is not int or lesson_id <= 0:
        raise SyncInputError()
    try:
        client_id = uuid.UUID(str(raw.get("id", "")))
        done_at = parse_datetime(str(raw.get("done_at", "")))
    except ValueError as exc:
        raise SyncInputError() from exc
    if done_at is None or timezone.is_naive(done_at):
        raise SyncInputError()
    item = SyncItem(
        client_id=client_id, kind=raw["kind"], lesson_id=lesson_id, done_at=done_at
    )
    if item.kind == SyncedItem.Kind.QUIZ:
        quiz_id = raw.get("quiz_id")
        if not isinstance(quiz_id, str) or not 0 < len(quiz_id) <= 64:
            raise SyncInputError()
        item.quiz_id = quiz_id
        item.answers = _answers(raw.get("answers"))
    return item


def sync_batch_parse(body: bytes) -> list[SyncItem]:
    """The items of a request body `{"items": [...]}`; SyncInputError for
    anything else (not JSON, too many items, an item malformed)."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SyncInputError() from exc
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise SyncInputError()
    if len(items) > MAX_ITEMS:
        raise SyncInputError(
            gettext_lazy("Too many items at once: send at most %(n)s.")
            % {"n": MAX_ITEMS}
        )
    return [_item(raw) for raw in items]


def item_message(result: dict) -> str:
    """What the participant is told about an item that applied, in the
    language of this request."""
    if result.get("kind") == SyncedItem.Kind.QUIZ:
        if result.get("passed"):
            text = _("You scored %(score)s%%: quiz passed.")
        else:
            text = _("You scored %(score)s%%: not passed yet.")
        text = text % {"score": result.get("score")}
    else:
        text = ""
    if result.get("completed_course"):
        text = f"{text} {_('Congratulations: you completed the course!')}".strip()
    return text


def _refused(item: SyncItem, message) -> dict:
    return {"id": str(item.client_id), "status": "refused", "message": str(message)}


def _answer(item: SyncItem, status: str, result: dict) -> dict:
    return {
        "id": str(item.client_id),
        "status": status,
        "message": item_message(result),
        **{k: result[k] for k in RESULT_FIELDS if k in result},
    }


def _apply(*, user, item: SyncItem, lesson, enrolment: Enrolment) -> dict:
    """The item's effect; returns what is kept as its result."""
    done_at = time_bounded(at=item.done_at, enrolment=enrolment)
    was_completed = enrolment.status == Enrolment.Status.COMPLETED
    if item.kind == SyncedItem.Kind.LESSON_DONE:
        lesson_complete(enrolment=enrolment, lesson=lesson, completed_at=done_at)
        completed = enrolment.status == Enrolment.Status.COMPLETED
        result: dict = {"completed_course": completed and not was_completed}
    else:
        try:
            attempt = quiz_attempt_submit(
                user=user,
                lesson=lesson,
                quiz_id=item.quiz_id,
                answers=item.answers,
                # The phone's id is the attempt's token: the quiz counts the
                # same answer once however it arrives.
                submission_token=str(item.client_id),
                submitted_at=done_at,
            )
        except QuizSubmissionError as error:
            if error.attempt is None:
                raise
            attempt = error.attempt
        result = {
            "score": attempt.score,
            "passed": attempt.passed,
            "completed_course": attempt.completed_course,
        }
    SyncedItem.objects.create(
        user=user,
        client_id=item.client_id,
        kind=item.kind,
        lesson=lesson,
        done_at=done_at,
        synced_at=timezone.now(),
        result={"kind": item.kind, **result},
    )
    return {"kind": item.kind, **result}


def progress_sync(*, user, items: list[SyncItem]) -> list[dict]:
    """Apply each item for `user`, in order; one answer per item: `applied`,
    `duplicate` (already received: its first result again) or `refused`
    (with the reason: not enrolled, no such lesson or quiz, no attempts
    left). Returns [{id, status, message, score?, passed?,
    completed_course?}, ...]."""
    answers = []
    lessons = LessonPage.objects.live().in_bulk({item.lesson_id for item in items})
    for item in items:
        kept = SyncedItem.objects.filter(user=user, client_id=item.client_id).first()
        if kept is not None:
            answers.append(_answer(item, "duplicate", kept.result))
            continue
        lesson = lessons.get(item.lesson_id)
        if lesson is None:
            answers.append(_refused(item, _("This lesson is no longer available.")))
            continue
        course = course_selectors.course_get_for_lesson(lesson=lesson)
        enrolment = seated_enrolment(user=user, course=course)
        if enrolment is None:
            answers.append(_refused(item, NotEnrolled.default_message))
            continue
        try:
            with transaction.atomic():
                result = _apply(
                    user=user, item=item, lesson=lesson, enrolment=enrolment
                )
        except QuizSubmissionError as error:
            answers.append(_refused(item, error.message))
        except NotEnrolled as error:  # withdrawn meanwhile
            answers.append(_refused(item, error.message))
        except IntegrityError:  # the same item in two requests at once
            kept = SyncedItem.objects.get(user=user, client_id=item.client_id)
            answers.append(_answer(item, "duplicate", kept.result))
        else:
            answers.append(_answer(item, "applied", result))
    return answers
