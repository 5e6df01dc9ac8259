"""Lesson progress and course completion."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from courses import selectors as course_selectors
from courses.models import CoursePage, LessonPage
from relais import caching

from .. import hooks
from ..models import Enrolment, EnrolmentEvent, LessonProgress
from .errors import NotEnrolled


def _completion_rule_met(*, enrolment: Enrolment) -> bool:
    """Every lesson of the course's outline done (its live lessons under live
    modules: the ones a participant can open and sees counted), and, when the
    course asks for it, every quiz in them passed. The outline comes from the
    cache (`course_outline_cached`), so the common case is one count query;
    lesson bodies are read only to check quizzes, once every lesson is done."""
    course = enrolment.course
    outline = course_selectors.course_outline_cached(course=course)
    lesson_ids = [lesson.pk for module in outline for lesson in module.lessons]
    if not lesson_ids:
        return False
    done = LessonProgress.objects.filter(
        enrolment=enrolment, lesson_id__in=lesson_ids, completed_at__isnull=False
    ).count()
    if done < len(lesson_ids):
        return False
    if course.require_quiz_pass:
        lessons = list(LessonPage.objects.filter(pk__in=lesson_ids))
        needed = course_selectors.quiz_keys_for_lessons(lessons=lessons)
        if needed:
            passed = course_selectors.passed_quiz_keys(
                user=enrolment.user, lesson_ids=lesson_ids
            )
            if not needed <= passed:
                return False
    return True


def _complete_if_rule_met(*, enrolment: Enrolment) -> bool:
    if enrolment.status != Enrolment.Status.ACTIVE:
        return False
    if not _completion_rule_met(enrolment=enrolment):
        return False
    now = timezone.now()
    # Exactly once: only the writer that flips ACTIVE -> COMPLETED announces it.
    flipped = Enrolment.objects.filter(
        pk=enrolment.pk, status=Enrolment.Status.ACTIVE
    ).update(status=Enrolment.Status.COMPLETED, completed_at=now)
    if flipped != 1:
        return False
    enrolment.status = Enrolment.Status.COMPLETED
    enrolment.completed_at = now
    EnrolmentEvent.objects.create(
        enrolment=enrolment,
        status=Enrolment.Status.COMPLETED,
        cohort_id=enrolment.cohort_id,
        note="course completed",
        created_at=now,
    )
    caching.changed("enrolments")
    # In this transaction: what the completion owes (a pending certificate, a
    # trainer qualification) commits with it or not at all (enrolment/hooks.py).
    hooks.on_course_completed.send(enrolment=enrolment)
    return True


def _furthest_lesson() -> Subquery:
    """The lesson of an enrolment's progress that comes last in the course's
    tree order (page paths sort in tree order); NULL without progress. The
    one definition of `Enrolment.furthest_lesson`, for an UPDATE's SET."""
    return Subquery(
        LessonProgress.objects.filter(enrolment=OuterRef("pk"))
        .order_by("-lesson__path")
        .values("lesson_id")[:1]
    )


def furthest_lesson_refresh(
    *,
    course_ids: Iterable[int] | None = None,
    only_missing: bool = False,
    batch_size: int = 500,
) -> int:
    """Recompute `Enrolment.furthest_lesson` from the progress rows, for the
    given courses' enrolments (or all), in batches: after progress written in
    bulk, a lesson or module moved (the order changed), or a lesson deleted
    (`only_missing`: the enrolments that pointed at it are NULL now). Only the
    rows whose value changes are written; returns how many. Each batch locks
    its enrolments first (in id order), as `lesson_complete` does: the UPDATE
    that follows then sees every progress row committed for them."""
    scope = Enrolment.objects.all()
    if course_ids is not None:
        scope = scope.filter(course_id__in=list(course_ids))
    if only_missing:
        scope = scope.filter(furthest_lesson__isnull=True)
    ids = list(scope.order_by("pk").values_list("pk", flat=True))
    changed = 0
    for i in range(0, len(ids), batch_size):
        batch = ids[i : i + batch_size]
        with transaction.atomic():
            list(
                Enrolment.objects.select_for_update()
                .filter(pk__in=batch)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            both = Q(furthest_lesson__isnull=False, new__isnull=False)
            differs = (
                Q(furthest_lesson__isnull=True, new__isnull=False)
                | Q(furthest_lesson__isnull=False, new__isnull=True)
                | (both & ~Q(furthest_lesson_id=F("new")))
            )
            changed += (
                Enrolment.objects.filter(pk__in=batch)
                .alias(new=_furthest_lesson())
                .filter(differs)
                .update(furthest_lesson_id=_furthest_lesson())
            )
    return changed


def furthest_lesson_refresh_around(*, paths: list[str], only_missing: bool) -> int:
    """`furthest_lesson_refresh` for the courses whose subtree holds any of
    these page paths (a lesson or module moved from or to, or deleted), and
    their cached figures dropped."""
    steplen = CoursePage.steplen
    prefixes = {
        path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)
    }
    course_ids = list(
        CoursePage.objects.filter(path__in=prefixes).values_list("pk", flat=True)
    )
    if not course_ids:
        return 0
    changed = furthest_lesson_refresh(course_ids=course_ids, only_missing=only_missing)
    caching.changed("progress")
    return changed


def time_bounded(
    *, at: datetime | None, enrolment: Enrolment, now: datetime | None = None
) -> datetime:
    """`at` (when something was done, as a phone says) kept between the
    enrolment's date and now; now when not given."""
    now = now or timezone.now()
    if at is None:
        return now
    return max(min(at, now), enrolment.enrolled_at)


@transaction.atomic
def lesson_complete(
    *,
    enrolment: Enrolment,
    lesson,
    quiz_score: int | None = None,
    completed_at: datetime | None = None,
) -> LessonProgress:
    """Mark `lesson` done for `enrolment` (idempotent) and, in the same
    transaction, complete the course when its rule is met. `completed_at`
    is when it was done, for progress made offline and sent later: kept
    within the enrolment's date and now (a phone's clock may be wrong);
    a lesson already done keeps its first time."""
    # Serialise the progress writes of one enrolment, so that two lessons
    # finished at once still see each other when the rule is checked.
    locked = (
        Enrolment.objects.select_for_update()
        .select_related("course", "user")
        .get(pk=enrolment.pk)
    )
    if locked.status == Enrolment.Status.WITHDRAWN:
        raise NotEnrolled()
    now = timezone.now()
    done_at = time_bounded(at=completed_at, enrolment=locked, now=now)
    try:
        with transaction.atomic():
            progress, created = LessonProgress.objects.get_or_create(
                enrolment=locked,
                lesson=lesson,
                defaults={"completed_at": done_at, "quiz_score": quiz_score},
            )
    except IntegrityError:
        progress, created = (
            LessonProgress.objects.get(enrolment=locked, lesson=lesson),
            False,
        )
    if not created:
        fields = []
        if progress.completed_at is None:
            progress.completed_at = done_at
            fields.append("completed_at")
        if quiz_score is not None and (progress.quiz_score or 0) < quiz_score:
            progress.quiz_score = quiz_score
            fields.append("quiz_score")
        if fields:
            progress.save(update_fields=fields)
    Enrolment.objects.filter(pk=locked.pk).update(
        last_activity_at=now, furthest_lesson_id=_furthest_lesson()
    )
    caching.changed("progress")
    _complete_if_rule_met(enrolment=locked)
    enrolment.status = locked.status
    enrolment.completed_at = locked.completed_at
    return progress


def on_quiz_passed(*, user, lesson, attempt) -> bool:
    """courses.access.quiz_passed receiver: a passed quiz marks its lesson
    done, which may complete the course. True when it did."""
    course = course_selectors.course_get_for_lesson(lesson=lesson)
    enrolment = Enrolment.objects.filter(
        user=user,
        course=course,
        status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED],
    ).first()
    if enrolment is None:
        return False
    was_completed = enrolment.status == Enrolment.Status.COMPLETED
    # An answer given offline is marked done at the time it was given.
    lesson_complete(
        enrolment=enrolment,
        lesson=lesson,
        quiz_score=getattr(attempt, "score", None),
        completed_at=getattr(attempt, "created_at", None),
    )
    return not was_completed and enrolment.status == Enrolment.Status.COMPLETED
