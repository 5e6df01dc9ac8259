"""Reach over time: people reached per month and generation, under the rules
of `reach.py`, so that each generation's months add up to its reach.

A person (matched on lower(email)) counts once per cascade, in the cohort
where `reach.py` counts them (the earliest generation, then the lowest cohort
id), in the month they first appear there: the enrolment date of an enrolled
learner, the session date of a listed attendee. A session's anonymous heads
count in the session's month. Four queries whatever the size: the cohorts,
the sessions' anonymous heads, the enrolments, the listed attendees."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from enrolment.models import Cohort, Enrolment

from ..models import SessionAttendee, TrainingSession
from .reach import _anonymous_heads, trainer_cascade_cohorts


@dataclass
class Month:
    month: datetime.date  # the first day of the month
    by_generation: list[int]  # in the order of `ReachOverTime.generations`

    @property
    def total(self) -> int:
        return sum(self.by_generation)


@dataclass
class ReachOverTime:
    generations: list[int] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)  # every month, first to last

    @property
    def totals(self) -> list[int]:
        return [
            sum(m.by_generation[i] for m in self.months)
            for i in range(len(self.generations))
        ]

    @property
    def total(self) -> int:
        return sum(self.totals)


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def reach_over_time(scope: QuerySet[Cohort], *, one_cascade: bool) -> ReachOverTime:
    """People reached per month and generation in the cohorts of `scope`:
    one cascade (a trainer's), or one per course of the root cohorts."""
    nodes = {
        pk: (0 if one_cascade else course_id, generation)
        for pk, generation, course_id in scope.values_list(
            "pk", "generation", "root__course_id"
        )
    }
    counts: dict[tuple[datetime.date, int], int] = {}

    def count(day: datetime.date, generation: int, n: int) -> None:
        key = (_month(day), generation)
        counts[key] = counts.get(key, 0) + n

    sessions = (
        TrainingSession.objects.filter(cohort__in=scope)
        .annotate(anonymous=_anonymous_heads())
        .filter(anonymous__gt=0)
        .values_list("cohort_id", "held_on", "anonymous")
    )
    for cohort_id, held_on, anonymous in sessions:
        count(held_on, nodes[cohort_id][1], anonymous)

    enrolled = (
        Enrolment.objects.filter(cohort__in=scope)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .annotate(email=Lower("user__email"))
        .values_list("cohort_id", "email", "enrolled_at")
    )
    listed = (
        SessionAttendee.objects.filter(session__cohort__in=scope)
        .exclude(email="")
        .annotate(lower_email=Lower("email"))
        .values_list("session__cohort_id", "lower_email", "session__held_on")
    )
    # Per (cascade, person): the earliest (generation, cohort id, day), so
    # the cohort is reach.py's, the day the first there.
    first: dict[tuple[int, str], tuple[int, int, datetime.date]] = {}
    rows = [(c, e, timezone.localdate(when)) for c, e, when in enrolled]
    rows += list(listed)
    for cohort_id, email, day in rows:
        cascade, generation = nodes[cohort_id]
        here = (generation, cohort_id, day)
        seen = first.get((cascade, email))
        if seen is None or here < seen:
            first[(cascade, email)] = here
    for generation, _cohort_id, day in first.values():
        count(day, generation, 1)

    result = ReachOverTime(generations=sorted({g for _m, g in counts}))
    if not counts:
        return result
    month, last = min(m for m, _g in counts), max(m for m, _g in counts)
    while month <= last:
        result.months.append(
            Month(
                month=month,
                by_generation=[counts.get((month, g), 0) for g in result.generations],
            )
        )
        month = _next_month(month)
    return result


def trainer_reach_over_time(*, user) -> ReachOverTime:
    """The trainer's cascade by month (five queries: their paths, then four)."""
    return reach_over_time(trainer_cascade_cohorts(user=user), one_cascade=True)


def trainer_reach_over_time_cached(*, user) -> ReachOverTime:
    """`trainer_reach_over_time`, cached like the trainer's summary."""
    from relais.caching import cached

    from .summary import DEPENDS_ON, TRAINER_SUMMARY_SECONDS

    return cached(
        f"cascade:months:{user.pk}",
        lambda: trainer_reach_over_time(user=user),
        depends_on=DEPENDS_ON,
        timeout=TRAINER_SUMMARY_SECONDS,
    )


def programme_reach_over_time(*, course_id: int | None = None) -> ReachOverTime:
    """Every cascade (or those whose root cohorts are of `course_id`)."""
    scope = Cohort.objects.filter(root__isnull=False)
    if course_id is not None:
        scope = scope.filter(root__course_id=course_id)
    return reach_over_time(scope, one_cascade=False)
