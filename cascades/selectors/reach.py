"""The reach of cascades, read with the ORM from the tree that
`enrolment.Cohort` stores (`generation`, `root`, `path`; docs/cascades.md).

Counting rules:
- a cohort's generation is its depth: root cohorts (no parent, run by the
  programme's experts) are generation 1;
- a cascade is every cohort under the roots of one course (the programme's),
  or, for a trainer, their cohorts and everything below them;
- people reached = enrolled learners (not withdrawn) + session attendees;
  a person with an email counts once per cascade (matched on lower(email)),
  in the earliest generation (then the lowest cohort id) where they appear;
- anonymous session counts add up as given: a session's women + men + other
  minus its listed attendees that have an email (those are counted as people);
- trainers produced = people with an active qualification whose qualifying
  enrolment is in a cohort of the cascade, once each;
- multiplier = people reached / trainers produced."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, Lower
from django_countries import countries

from enrolment.models import Cohort, Enrolment

from ..models import SessionAttendee, TrainerQualification, TrainingSession
from .access import delivering


@dataclass
class Figures:
    cohorts: int = 0
    sessions: int = 0
    people: int = 0
    anonymous: int = 0
    trainers: int = 0

    @property
    def reached(self) -> int:
        return self.people + self.anonymous

    @property
    def multiplier(self) -> float | None:
        if not self.trainers:
            return None
        return round(self.reached / self.trainers, 1)

    def add(self, other: Figures) -> None:
        self.cohorts += other.cohorts
        self.sessions += other.sessions
        self.people += other.people
        self.anonymous += other.anonymous
        self.trainers += other.trainers


@dataclass
class Reach:
    """Figures of one cascade (or of all cascades of a course)."""

    total: Figures = field(default_factory=Figures)
    by_generation: dict[int, Figures] = field(default_factory=dict)
    by_country: dict[str, Figures] = field(default_factory=dict)
    # Per cohort, under the same rules (a person in the cohort where first
    # seen): what the cascade picture draws.
    by_cohort: dict[int, Figures] = field(default_factory=dict)

    def generations(self) -> list[tuple[int, Figures]]:
        return sorted(self.by_generation.items())

    def countries(self) -> list[tuple[str, str, Figures]]:
        rows = [
            (code, countries.name(code) if code else "", f)
            for code, f in self.by_country.items()
        ]
        return sorted(rows, key=lambda r: (r[1] == "", r[1]))

    def add(self, figures: Figures, *, generation: int, country: str) -> None:
        self.total.add(figures)
        self.by_generation.setdefault(generation, Figures()).add(figures)
        self.by_country.setdefault(country, Figures()).add(figures)


class _Node(NamedTuple):
    cascade: int  # the root cohorts' course, or 0 for a trainer's cascade
    generation: int
    country: str


def trainer_cascade_cohorts(*, user) -> QuerySet[Cohort]:
    """The trainer's cohorts (of the courses they are still qualified to
    deliver, `access.delivering`) and every cohort below them: one prefix look-up
    on `path` per own cohort that is not already below another (one query
    for the paths; the queryset is then a subquery)."""
    paths = sorted(
        Cohort.objects.filter(delivering(user=user))
        .exclude(path="")
        .values_list("path", flat=True)
    )
    tops: list[str] = []
    for path in paths:  # sorted: a cohort's path comes before its descendants'
        if not tops or not path.startswith(tops[-1]):
            tops.append(path)
    if not tops:
        return Cohort.objects.none()
    below = Q()
    for path in tops:
        below |= Q(path__startswith=path)
    return Cohort.objects.filter(below)


def _anonymous_heads():
    """A session's head count minus its listed attendees with an email."""
    listed = Coalesce(
        Subquery(
            SessionAttendee.objects.filter(session=OuterRef("pk"))
            .exclude(email="")
            .values("session")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    heads = F("participants_women") + F("participants_men") + F("participants_other")
    return Greatest(heads - listed, Value(0))


def _reach(scope: QuerySet[Cohort], *, one_cascade: bool) -> dict[int, Reach]:
    """Reach per cascade (keyed by the root cohorts' course; 0 when the scope
    is one cascade). Four queries whatever the size: cohorts, sessions by
    cohort, people (enrolled and listed), trainers."""
    nodes = {
        pk: _Node(0 if one_cascade else course_id, generation, country or "")
        for pk, generation, country, course_id in scope.values_list(
            "pk", "generation", "country", "root__course_id"
        )
    }
    # Figures per cohort, folded into Reach at the end.
    tally: dict[int, Figures] = {pk: Figures(cohorts=1) for pk in nodes}

    sessions = (
        TrainingSession.objects.filter(cohort__in=scope)
        .values("cohort")
        .annotate(n=Count("pk"), anonymous=Sum(_anonymous_heads()))
        .values_list("cohort", "n", "anonymous")
    )
    for cohort_id, n, anonymous in sessions:
        figures = tally[cohort_id]
        figures.sessions += n
        figures.anonymous += anonymous or 0

    # A person once per cascade, where first seen: the earliest generation,
    # then the lowest cohort id. Deduplicated here, as the rule reads.
    enrolled = (
        Enrolment.objects.filter(cohort__in=scope)
        .exclude(status=Enrolment.Status.WITHDRAWN)
        .annotate(email=Lower("user__email"))
        .values_list("cohort_id", "email")
    )
    listed = (
        SessionAttendee.objects.filter(session__cohort__in=scope)
        .exclude(email="")
        .annotate(lower_email=Lower("email"))
        .values_list("session__cohort_id", "lower_email")
    )
    for cohort_id, count in _first_seen(nodes, enrolled.union(listed, all=True)):
        tally[cohort_id].people += count

    qualified = TrainerQualification.objects.filter(
        withdrawn_at__isnull=True, qualifying_enrolment__cohort__in=scope
    ).values_list("qualifying_enrolment__cohort_id", "user_id")
    for cohort_id, count in _first_seen(nodes, qualified):
        tally[cohort_id].trainers += count

    reach: dict[int, Reach] = {}
    for pk, figures in tally.items():
        node = nodes[pk]
        one = reach.setdefault(node.cascade, Reach())
        one.add(figures, generation=node.generation, country=node.country)
        one.by_cohort[pk] = figures
    return reach


def _first_seen(nodes: dict[int, _Node], rows) -> list[tuple[int, int]]:
    """(cohort id, how many) for `(cohort id, who)` rows, each `who` kept
    once per cascade at its earliest (generation, cohort id)."""
    first: dict[tuple[int, object], tuple[int, int]] = {}
    for cohort_id, who in rows:
        node = nodes[cohort_id]
        key = (node.cascade, who)
        here = (node.generation, cohort_id)
        seen = first.get(key)
        if seen is None or here < seen:
            first[key] = here
    return list(Counter(cohort_id for _g, cohort_id in first.values()).items())


def cascade_reach_for_trainer(*, user) -> Reach:
    """The trainer's cascade: their cohorts and everything below them, counted
    as one cascade (a person once, wherever they appear). Five queries."""
    reached = _reach(trainer_cascade_cohorts(user=user), one_cascade=True)
    return reached.get(0, Reach())


@dataclass
class CourseCascade:
    course_id: int
    course_title: str
    reach: Reach


def cascade_reach_by_course() -> list[CourseCascade]:
    """Every cascade, one per course of its root cohorts (the programme),
    with its generations and countries. Five queries (the four of the
    reach, the course titles)."""
    from courses.models import CoursePage

    by_course = _reach(Cohort.objects.filter(root__isnull=False), one_cascade=False)
    titles = dict(
        CoursePage.objects.filter(pk__in=list(by_course)).values_list("pk", "title")
    )
    return sorted(
        (
            CourseCascade(course_id=pk, course_title=titles.get(pk, "?"), reach=r)
            for pk, r in by_course.items()
        ),
        key=lambda c: c.course_title,
    )
