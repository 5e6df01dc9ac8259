"""Reads of the cascade: a trainer's cohorts and participants (behind one
gatekeeper per object kind) and the reach of cascades, computed by one
recursive query over `enrolment_cohort` (PostgreSQL and SQLite alike).

Counting rules (also in the README, "Cascades: counting rules"):
- a cohort's generation is its depth: root cohorts (no parent, run by the
  programme's experts) are generation 1;
- people reached = enrolled learners (not withdrawn) + session attendees;
  a person with an email counts once per cascade (matched on lower(email)),
  in the earliest generation (then the lowest cohort id) where they appear;
- anonymous session counts add up as given: a session's women + men + other
  minus its listed attendees that have an email (those are counted as people);
- trainers produced = people with an active qualification whose qualifying
  enrolment is in a cohort of the cascade, once each;
- multiplier = people reached / trainers produced."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db import connection
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django_countries import countries

from enrolment.models import Cohort, Enrolment, LessonProgress

from . import freshness
from .models import SessionAttendee, TrainerQualification, TrainingSession

# ---------------------------------------------------------------- gatekeepers


def cohort_get_for_trainer(*, user, pk: int) -> Cohort:
    """A cohort the user delivers; 404 for anyone else's (even a descendant
    cohort of their cascade: they see its counts, never its people)."""
    cohort = (
        Cohort.objects.select_related("course", "parent", "trainer")
        .filter(pk=pk, trainer_id=user.pk)
        .first()
    )
    if cohort is None or not user.is_authenticated:
        raise Http404
    return cohort


def session_get_for_trainer(*, user, pk: int) -> TrainingSession:
    session = (
        TrainingSession.objects.select_related("cohort", "cohort__course")
        .filter(pk=pk, cohort__trainer_id=user.pk)
        .first()
    )
    if session is None or not user.is_authenticated:
        raise Http404
    return session


def enrolment_get_for_trainer(*, user, cohort: Cohort, pk: int) -> Enrolment:
    """A participant of one of the trainer's own cohorts."""
    enrolment = (
        Enrolment.objects.select_related("user", "course", "cohort")
        .filter(pk=pk, cohort=cohort, cohort__trainer_id=user.pk)
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


# ---------------------------------------------------------------- workspace


def trainer_qualifications(*, user) -> QuerySet[TrainerQualification]:
    return (
        TrainerQualification.objects.filter(user=user, withdrawn_at__isnull=True)
        .select_related("course", "qualifying_enrolment__cohort")
        .order_by("course__title")
    )


def trainer_is_qualified(*, user) -> bool:
    return TrainerQualification.objects.filter(
        user=user, withdrawn_at__isnull=True
    ).exists()


def _session_headcount():
    return Coalesce(
        Subquery(
            TrainingSession.objects.filter(cohort=OuterRef("pk"))
            .values("cohort")
            .annotate(
                n=Sum("participants_women")
                + Sum("participants_men")
                + Sum("participants_other")
            )
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def trainer_cohorts(*, user) -> QuerySet[Cohort]:
    """The trainer's own cohorts with their counts (one query)."""
    active = ~Q(enrolments__status=Enrolment.Status.WITHDRAWN)
    return (
        Cohort.objects.filter(trainer=user)
        .select_related("course")
        .annotate(
            participants=Count("enrolments", filter=active, distinct=True),
            completions=Count(
                "enrolments",
                filter=Q(enrolments__status=Enrolment.Status.COMPLETED),
                distinct=True,
            ),
            session_count=Count("sessions", distinct=True),
            session_headcount=_session_headcount(),
        )
        .order_by("-created_at", "-id")
    )


def course_lesson_count(*, course) -> int:
    from courses.models import LessonPage

    return LessonPage.objects.live().descendant_of(course).count()


@dataclass
class ParticipantRow:
    enrolment: Enrolment
    lessons_done: int
    percent: int
    certificate_status: str | None


def _certificate_status(obj) -> str | None:
    # Reverse one-to-one defined by certificates (enrolment never imports it).
    try:
        certificate = obj.certificate
    except (ObjectDoesNotExist, AttributeError):
        return None
    return getattr(certificate, "status", None)


def _certificate_relation(model) -> list[str]:
    names = {f.name for f in model._meta.get_fields()}
    return ["certificate"] if "certificate" in names else []


def cohort_participants(*, cohort: Cohort) -> list[ParticipantRow]:
    """Participants of the trainer's cohort with progress and certificate
    status. Three queries whatever the size: lessons, enrolments+done counts."""
    total = course_lesson_count(course=cohort.course)
    enrolments = (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("user", *_certificate_relation(Enrolment))
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__completed_at__isnull=False),
                distinct=True,
            )
        )
        .order_by("user__last_name", "user__first_name", "user__email")
    )
    rows = []
    for e in enrolments:
        if e.status == Enrolment.Status.COMPLETED:
            percent = 100
        else:
            percent = min(100, round(100 * e.done / total)) if total else 0
        rows.append(
            ParticipantRow(
                enrolment=e,
                lessons_done=e.done,
                percent=percent,
                certificate_status=_certificate_status(e),
            )
        )
    return rows


def participant_progress(*, enrolment: Enrolment) -> QuerySet[LessonProgress]:
    return (
        LessonProgress.objects.filter(enrolment=enrolment)
        .select_related("lesson")
        .order_by("lesson__path")
    )


def cohort_sessions(*, cohort: Cohort) -> QuerySet[TrainingSession]:
    return cohort.sessions.annotate(listed=Count("attendees")).order_by(
        "-held_on", "-id"
    )


@dataclass
class AttendeeRow:
    attendee: SessionAttendee
    certificate_status: str | None


def session_attendees(*, session: TrainingSession) -> list[AttendeeRow]:
    attendees = session.attendees.select_related(
        *_certificate_relation(SessionAttendee)
    ).order_by("name", "id")
    return [
        AttendeeRow(attendee=a, certificate_status=_certificate_status(a))
        for a in attendees
    ]


# ---------------------------------------------------------------- reach

_REACH_SQL = """
WITH RECURSIVE tree(id, depth, root_course) AS (
    SELECT id, 1, course_id FROM {cohort} WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, t.depth + 1, t.root_course
    FROM {cohort} c JOIN tree t ON c.parent_id = t.id
),
{scope_cte}
nodes AS (
    SELECT t.id, t.depth, t.root_course, c.country, {cascade_key} AS cascade_key
    FROM tree t
    {scope_join}
    JOIN {cohort} c ON c.id = t.id
),
people AS (
    SELECT n.cascade_key, n.root_course, n.depth, n.country, n.id AS cohort_id,
           LOWER(u.email) AS email
    FROM nodes n
    JOIN {enrolment} e ON e.cohort_id = n.id
    JOIN {user} u ON u.id = e.user_id
    WHERE e.status <> 'withdrawn'
    UNION ALL
    SELECT n.cascade_key, n.root_course, n.depth, n.country, n.id, LOWER(a.email)
    FROM nodes n
    JOIN {session} s ON s.cohort_id = n.id
    JOIN {attendee} a ON a.session_id = s.id
    WHERE a.email <> ''
),
first_seen AS (
    -- earliest (generation, cohort id) per person: one hash aggregate, no sort
    SELECT cascade_key, MIN(CAST(depth AS BIGINT) * 1000000000 + cohort_id) AS k
    FROM people GROUP BY cascade_key, email
),
ranked AS (
    -- cascade_key is the root course (all cascades) or 0 (one trainer's)
    SELECT f.cascade_key AS root_course, f.k / 1000000000 AS depth, c.country,
           1 AS rn
    FROM first_seen f JOIN {cohort} c ON c.id = f.k %% 1000000000
),
trainers AS (
    SELECT n.root_course, n.depth, n.country,
           ROW_NUMBER() OVER (
               PARTITION BY n.cascade_key, q.user_id ORDER BY n.depth, n.id
           ) AS rn
    FROM nodes n
    JOIN {enrolment} e ON e.cohort_id = n.id
    JOIN {qualification} q ON q.qualifying_enrolment_id = e.id
    WHERE q.withdrawn_at IS NULL
),
listed AS (
    SELECT a.session_id, COUNT(*) AS n FROM {attendee} a
    WHERE a.email <> '' GROUP BY a.session_id
),
sessions AS (
    SELECT n.root_course, n.depth, n.country,
           s.participants_women + s.participants_men + s.participants_other
           - COALESCE(l.n, 0) AS anonymous
    FROM nodes n
    JOIN {session} s ON s.cohort_id = n.id
    LEFT JOIN listed l ON l.session_id = s.id
)
SELECT root_course, depth, country,
       SUM(cohorts), SUM(sessions), SUM(people),
       SUM(CASE WHEN anonymous > 0 THEN anonymous ELSE 0 END), SUM(trainers)
FROM (
    SELECT root_course, depth, country,
           1 AS cohorts, 0 AS sessions, 0 AS people, 0 AS anonymous, 0 AS trainers
    FROM nodes
    UNION ALL
    SELECT root_course, depth, country, 0, 1, 0, anonymous, 0 FROM sessions
    UNION ALL
    SELECT root_course, depth, country, 0, 0, 1, 0, 0 FROM ranked WHERE rn = 1
    UNION ALL
    SELECT root_course, depth, country, 0, 0, 0, 0, 1 FROM trainers WHERE rn = 1
) AS figures
GROUP BY root_course, depth, country
ORDER BY root_course, depth, country
"""


_SCOPE_CTE = """scope(id) AS (
    SELECT id FROM {cohort} WHERE trainer_id = %s
    UNION
    SELECT c.id FROM {cohort} c JOIN scope s ON c.parent_id = s.id
),"""


def _tables() -> dict[str, str]:
    return {
        "cohort": Cohort._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "user": get_user_model()._meta.db_table,
        "session": TrainingSession._meta.db_table,
        "attendee": SessionAttendee._meta.db_table,
        "qualification": TrainerQualification._meta.db_table,
    }


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

    def generations(self) -> list[tuple[int, Figures]]:
        return sorted(self.by_generation.items())

    def countries(self) -> list[tuple[str, str, Figures]]:
        rows = [
            (code, countries.name(code) if code else "", f)
            for code, f in self.by_country.items()
        ]
        return sorted(rows, key=lambda r: (r[1] == "", r[1]))


def _reach_rows(*, trainer=None) -> list[tuple]:
    params: list = []
    tables = _tables()
    if trainer is not None:
        # The trainer's cohorts and everything below them, deduplicated.
        scope_cte = _SCOPE_CTE.format(**tables)
        scope_join = "JOIN scope s ON s.id = t.id"
        params.append(trainer.pk)
        cascade_key = "0"
    else:
        scope_cte, scope_join, cascade_key = "", "", "t.root_course"
    sql = _REACH_SQL.format(
        scope_cte=scope_cte, scope_join=scope_join, cascade_key=cascade_key, **tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _fold(rows) -> dict[int | None, Reach]:
    by_course: dict[int | None, Reach] = defaultdict(Reach)
    for root_course, depth, country, cohorts, sessions, people, anon, trainers in rows:
        figures = Figures(
            cohorts=int(cohorts or 0),
            sessions=int(sessions or 0),
            people=int(people or 0),
            anonymous=int(anon or 0),
            trainers=int(trainers or 0),
        )
        for reach in (by_course[root_course],):
            reach.total.add(figures)
            reach.by_generation.setdefault(int(depth), Figures()).add(figures)
            reach.by_country.setdefault(country or "", Figures()).add(figures)
    return by_course


def cascade_reach_for_trainer(*, user) -> Reach:
    """The trainer's cascade: their cohorts and everything below them, counted
    as one cascade (a person once, wherever they appear). One query."""
    reach = Reach()
    for course_reach in _fold(_reach_rows(trainer=user)).values():
        reach.total.add(course_reach.total)
        for g, f in course_reach.by_generation.items():
            reach.by_generation.setdefault(g, Figures()).add(f)
        for c, f in course_reach.by_country.items():
            reach.by_country.setdefault(c, Figures()).add(f)
    return reach


@dataclass
class CourseCascade:
    course_id: int
    course_title: str
    reach: Reach


def cascade_reach_by_course() -> list[CourseCascade]:
    """Every cascade, one per course of its root cohorts (the programme),
    with its generations and countries. Two queries (reach, course titles)."""
    from courses.models import CoursePage

    by_course = _fold(_reach_rows())
    titles = dict(
        CoursePage.objects.filter(pk__in=list(by_course)).values_list("pk", "title")
    )
    return sorted(
        (
            CourseCascade(course_id=pk, course_title=titles.get(pk, "?"), reach=r)  # type: ignore[arg-type]
            for pk, r in by_course.items()
        ),
        key=lambda c: c.course_title,
    )


# ---------------------------------------------------------------- cached summary

# A trainer's cohort table and cascade reach are kept this long under the
# cascade's data marks (`freshness`): a new enrolment, status change, cohort,
# session, attendee or qualification anywhere gives a new key at once; what the
# marks miss (an email edited, a row deleted in the Django admin) shows within
# this many seconds.
TRAINER_SUMMARY_SECONDS = 300


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


def _cascade_key(kind: str, user, marks: tuple) -> str:
    digest = hashlib.sha256(repr(marks).encode()).hexdigest()[:24]
    return f"cascade:{kind}:{user.pk}:{digest}"


def cascade_marks() -> tuple:
    """The data marks of every cascade: one query of index look-ups."""
    return freshness.newest_ids(freshness.CASCADE_MODELS) + (
        freshness.cascade_changes(),
    )


def trainer_summary(*, user) -> tuple[list[CohortRow], Reach | None]:
    """The trainer's cohorts with their counts, and the reach of their cascade
    (None without cohorts). One query (the marks) when cached, three more
    (cohorts, reach) when not."""
    marks = cascade_marks()

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

    return freshness.cached(
        _cascade_key("summary", user, marks),
        compute,
        seconds=TRAINER_SUMMARY_SECONDS,
    )


def trainer_reach_cached(*, user) -> Reach:
    """`cascade_reach_for_trainer`, cached like `trainer_summary`."""
    return freshness.cached(
        _cascade_key("reach", user, cascade_marks()),
        lambda: cascade_reach_for_trainer(user=user),
        seconds=TRAINER_SUMMARY_SECONDS,
    )


# ---------------------------------------------------------------- tree picture

_TREE_SQL = """
WITH RECURSIVE tree(id, depth) AS (
    SELECT id, 1 FROM {cohort} WHERE parent_id IS NULL
    UNION ALL
    SELECT c.id, t.depth + 1 FROM {cohort} c JOIN tree t ON c.parent_id = t.id
),
scope(id) AS (
    SELECT id FROM {cohort} WHERE {scope_where}
    UNION
    SELECT c.id FROM {cohort} c JOIN scope s ON c.parent_id = s.id
)
SELECT t.id, t.depth FROM tree t JOIN scope s ON s.id = t.id
ORDER BY t.depth, t.id
LIMIT %s
"""


@dataclass
class TreeNode:
    cohort: Cohort
    generation: int
    own: bool
    children: list[TreeNode] = field(default_factory=list)


def cascade_tree(
    *, trainer=None, course_id: int | None = None, limit: int = 1000
) -> tuple[list[TreeNode], bool]:
    """The cohorts of a cascade as nested nodes with their counts, for the
    picture. Returns (roots, truncated). Two queries."""
    params: list = []
    if trainer is not None:
        scope_where = "trainer_id = %s"
        params.append(trainer.pk)
    elif course_id is not None:
        scope_where = "parent_id IS NULL AND course_id = %s"
        params.append(course_id)
    else:
        scope_where = "parent_id IS NULL"
    params.append(limit + 1)
    with connection.cursor() as cursor:
        cursor.execute(
            _TREE_SQL.format(scope_where=scope_where, cohort=Cohort._meta.db_table),
            params,
        )
        depths = dict(cursor.fetchall())
    truncated = len(depths) > limit
    if truncated:
        depths.pop(max(depths, key=lambda pk: (depths[pk], pk)))
    active = ~Q(enrolments__status=Enrolment.Status.WITHDRAWN)
    cohorts = (
        Cohort.objects.filter(pk__in=list(depths))
        .select_related("course")
        .annotate(
            participants=Count("enrolments", filter=active, distinct=True),
            session_count=Count("sessions", distinct=True),
            session_headcount=_session_headcount(),
        )
        .order_by("starts_on", "id")
    )
    nodes = {
        c.pk: TreeNode(
            cohort=c,
            generation=depths[c.pk],
            own=trainer is not None and c.trainer_id == trainer.pk,
        )
        for c in cohorts
    }
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.cohort.parent_id)  # type: ignore[arg-type]
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    return roots, truncated
