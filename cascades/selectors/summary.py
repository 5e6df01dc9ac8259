"""A trainer's cohort table and cascade reach, cached (`relais.caching`).

The entries depend on the `enrolments` and `cascades` groups: an enrolment,
a status change, a cohort opened or moved, a qualification granted or
withdrawn, a session recorded drops them once its transaction commits (the
services announce it). What no service announces (a row edited by hand in
the Django admin, an email changed) shows once the entry expires."""

from __future__ import annotations

from dataclasses import dataclass

from relais.caching import cached

from .reach import Reach, cascade_reach_for_trainer
from .workspace import trainer_cohorts

TRAINER_SUMMARY_SECONDS = 300
DEPENDS_ON = ("enrolments", "cascades")


@dataclass
class CohortRow:
    """A trainer's cohort with its counts (plain values, for the cache)."""

    pk: int
    name: str
    course_title: str
    participants: int
    completions: int
    session_count: int
    session_headcount: int


def trainer_summary(*, user) -> tuple[list[CohortRow], Reach | None]:
    """The trainer's cohorts with their counts, and the reach of their cascade
    (None without cohorts). No query when cached."""

    def compute():
        cohorts = [
            CohortRow(
                pk=c.pk,
                name=c.name,
                course_title=c.course.title,
                participants=c.participants,
                completions=c.completions,
                session_count=c.session_count,
                session_headcount=c.session_headcount,
            )
            for c in trainer_cohorts(user=user)
        ]
        reach = cascade_reach_for_trainer(user=user) if cohorts else None
        return cohorts, reach

    return cached(
        f"cascade:summary:v2:{user.pk}",
        compute,
        depends_on=DEPENDS_ON,
        timeout=TRAINER_SUMMARY_SECONDS,
    )


def trainer_reach_cached(*, user) -> Reach:
    """`cascade_reach_for_trainer`, cached like `trainer_summary`."""
    return cached(
        f"cascade:reach:v2:{user.pk}",
        lambda: cascade_reach_for_trainer(user=user),
        depends_on=DEPENDS_ON,
        timeout=TRAINER_SUMMARY_SECONDS,
    )
