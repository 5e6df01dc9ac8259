"""Read-only aggregates for the reports, the exports and the impact page.

Every function takes `ReportFilters` and runs a fixed number of queries,
whatever the data size. The period filter applies to the date of what is
counted: enrolment date for enrolments (and completion rates), completion
date for completions, issue/revoke date for certificates."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import (
    Coalesce,
    Lower,
    Trim,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries
from wagtail.models import PageLogEntry

from accounts.models import User
from cascades import freshness as cascade_freshness
from certificates.models import Certificate, CertificateEvent
from courses.models import CoursePage, LessonPage, ModulePage
from enrolment.models import Cohort, Enrolment, EnrolmentEvent, LessonProgress

from .filters import ReportFilters

IMPACT_CACHE_SECONDS = 600
# Report data (tables, charts, drop-off, cascade reach) is cached per filter
# set, language and data marks (see `cached_for_filters`); changes the marks
# miss show within this many seconds. 0 turns the cache off.
CHART_CACHE_SECONDS = 120

TRUNCS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed in SQL."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _duration():
    return ExpressionWrapper(
        F("completed_at") - F("enrolled_at"), output_field=DurationField()
    )


def median_in_sql() -> bool:
    return connection.vendor == "postgresql"


def period_label(value: date | datetime | None, granularity: str) -> str:
    if value is None:
        return _("No date")
    if granularity == "year":
        return f"{value.year}"
    if granularity == "quarter":
        return f"{value.year} Q{(value.month - 1) // 3 + 1}"
    return f"{value.year}-{value.month:02d}"


# --- scopes -----------------------------------------------------------------

# Institutions are free text: "Ministry", " ministry" and "MINISTRY" are one
# institution, for the filter and for the grouping alike.
INSTITUTION_KEY = Lower(Trim("user__institution"))


def enrolment_scope(
    filters: ReportFilters, *, date_field: str = "enrolled_at"
) -> QuerySet[Enrolment]:
    qs = Enrolment.objects.all()
    if filters.course_id:
        qs = qs.filter(course_id=filters.course_id)
    if filters.cohort_id:
        qs = qs.filter(cohort_id=filters.cohort_id)
    if filters.country:
        qs = qs.filter(user__country=filters.country)
    if filters.institution:
        qs = qs.alias(institution_key=INSTITUTION_KEY).filter(
            institution_key=Lower(Value(filters.institution.strip()))
        )
    if filters.start:
        qs = qs.filter(**{f"{date_field}__gte": filters.start})
    if filters.end:
        qs = qs.filter(**{f"{date_field}__lt": filters.end})
    return qs


def certificate_scope(filters: ReportFilters) -> QuerySet[Certificate]:
    qs = Certificate.objects.all()
    if filters.course_id:
        qs = qs.filter(
            Q(enrolment__course_id=filters.course_id)
            | Q(attendee__session__cohort__course_id=filters.course_id)
        )
    if filters.cohort_id:
        qs = qs.filter(
            Q(enrolment__cohort_id=filters.cohort_id)
            | Q(attendee__session__cohort_id=filters.cohort_id)
        )
    if filters.country:
        qs = qs.filter(enrolment__user__country=filters.country)
    if filters.institution:
        qs = qs.alias(
            institution_key=Lower(Trim("enrolment__user__institution"))
        ).filter(institution_key=Lower(Value(filters.institution.strip())))
    return qs


def _in_period(prefix: str, filters: ReportFilters) -> Q:
    q = Q()
    if filters.start:
        q &= Q(**{f"{prefix}__gte": filters.start})
    if filters.end:
        q &= Q(**{f"{prefix}__lt": filters.end})
    return q


# --- sorting and totals -----------------------------------------------------


@dataclass
class Table:
    """Rows (dicts) with their columns, a totals row and the sort applied."""

    columns: list[tuple[str, str]]
    rows: list[dict]
    totals: dict = field(default_factory=dict)
    sort: str = ""
    # How many groups there are in all (`rows` may hold only the first ones).
    groups: int | None = None

    @property
    def rows_hidden(self) -> int:
        return max(0, (self.groups or 0) - len(self.rows))

    @property
    def sortable(self) -> set[str]:
        return {key for key, _label in self.columns}


def sort_rows(rows: list[dict], sort: str, allowed: set[str], default: str) -> str:
    """Sort in place by a whitelisted column (`-` for descending). Returns the
    sort actually applied."""
    key = sort.lstrip("-")
    if key not in allowed:
        sort, key = default, default.lstrip("-")
    descending = sort.startswith("-")

    def value(row):
        v = row.get(key)
        if v is None:
            return (1, "") if not descending else (0, "")
        return (0, v) if not descending else (1, v)

    rows.sort(key=value, reverse=descending)
    return sort


def _sum(rows: list[dict], keys: list[str]) -> dict:
    return {k: sum((row.get(k) or 0) for row in rows) for k in keys}


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


# --- enrolments ---------------------------------------------------------------

DIMENSIONS = {
    "course": gettext_lazy("Course"),
    "cohort": gettext_lazy("Cohort"),
    "country": gettext_lazy("Country"),
    "institution": gettext_lazy("Institution"),
    "organisation_type": gettext_lazy("Organisation type"),
    "gender": gettext_lazy("Gender"),
    "status": gettext_lazy("Status"),
    "period": gettext_lazy("Period"),
}
DIMENSION_KEYS = list(DIMENSIONS)

STATUS_COUNTS = {
    "total": Count("id"),
    "active": Count("id", filter=Q(status=Enrolment.Status.ACTIVE)),
    "completed": Count("id", filter=Q(status=Enrolment.Status.COMPLETED)),
    "withdrawn": Count("id", filter=Q(status=Enrolment.Status.WITHDRAWN)),
}


def _choice_label(choices) -> Callable[[object], str]:
    labels = dict(choices)
    return lambda key: str(labels.get(key, key)) if key else _("Not stated")


# Dimensions with many groups (10,000 cohorts, free-text institutions) are
# sorted and cut in SQL; the others have a few dozen groups at most.
PAGED_DIMENSIONS = {"cohort", "institution"}
COUNT_COLUMNS = ["total", "active", "completed", "withdrawn"]


def _enrolment_columns(by: str) -> list[tuple[str, str]]:
    return [
        ("label", str(DIMENSIONS[by])),
        ("total", _("Enrolments")),
        ("active", _("Active")),
        ("completed", _("Completed")),
        ("withdrawn", _("Withdrawn")),
        ("completion_rate", _("Completion rate (%)")),
    ]


def _totals(rows_or_aggregate: dict) -> dict:
    totals = {k: rows_or_aggregate.get(k) or 0 for k in COUNT_COLUMNS}
    totals["label"] = _("Total")
    totals["completion_rate"] = _rate(totals["completed"], totals["total"])
    return totals


def enrolment_counts(
    filters: ReportFilters,
    *,
    by: str = "course",
    sort: str = "",
    limit: int | None = None,
) -> Table:
    """Enrolment counts grouped by one dimension, with status columns.

    With `limit`, at most that many rows are returned (the first ones in the
    sort order); `groups` and `totals` still cover every group. Fixed number
    of queries: the grouped counts, the totals, and the labels of the rows
    returned when they are not in the grouped query."""
    if by not in DIMENSIONS:
        by = "course"
    if by in PAGED_DIMENSIONS:
        return _paged_enrolment_counts(filters, by=by, sort=sort, limit=limit)
    qs = enrolment_scope(filters)
    if by == "course":
        grouped = qs.values(key=F("course_id"))
    elif by == "period":
        trunc = TRUNCS.get(filters.granularity, TruncMonth)
        grouped = qs.values(key=trunc("enrolled_at"))
    else:
        source = "status" if by == "status" else f"user__{by}"
        grouped = qs.values(key=F(source))
    rows = list(grouped.annotate(**STATUS_COUNTS).order_by())

    if by == "course":
        titles = dict(
            CoursePage.objects.filter(pk__in=[r["key"] for r in rows]).values_list(
                "pk", "title"
            )
        )
        label = lambda k: titles.get(k, "?")  # noqa: E731
    elif by == "country":
        label = lambda k: str(countries.name(k)) if k else _("Not stated")  # noqa: E731
    elif by == "organisation_type":
        label = _choice_label(User.OrganisationType.choices)
    elif by == "gender":
        label = _choice_label(User.Gender.choices)
    elif by == "status":
        label = _choice_label(Enrolment.Status.choices)
    else:
        label = lambda k: period_label(k, filters.granularity)  # noqa: E731
    for row in rows:
        row["label"] = label(row["key"])
        row["completion_rate"] = _rate(row["completed"], row["total"])
        if by == "period":
            row["sort_key"] = row["key"]
    columns = _enrolment_columns(by)
    if by == "period":
        default = "sort_key"
        allowed = {c for c, _l in columns} | {"sort_key"}
        if sort.lstrip("-") == "label":
            sort = sort.replace("label", "sort_key")
    else:
        default, allowed = "-total", {c for c, _l in columns}
    applied = sort_rows(rows, sort, allowed, default)
    totals = _totals(_sum(rows, COUNT_COLUMNS))
    groups = len(rows)
    if limit is not None:
        rows = rows[:limit]
    return Table(
        columns=columns,
        rows=rows,
        totals=totals,
        sort=applied.replace("sort_key", "label"),
        groups=groups,
    )


def _paged_enrolment_counts(
    filters: ReportFilters, *, by: str, sort: str, limit: int | None
) -> Table:
    """Cohorts and institutions: one query groups, sorts and cuts in SQL, and
    window functions over the groups give the totals and the number of groups
    (no second pass over the enrolments). Cohort names come from one small
    query for the rows returned (or from the grouped query when sorting by
    name); an institution's label is its most common spelling, picked in the
    same query."""
    qs = enrolment_scope(filters)
    columns = _enrolment_columns(by)
    if sort.lstrip("-") not in {c for c, _l in columns}:
        sort = "-total"
    column = sort.lstrip("-")
    counts = ", ".join(COUNT_COLUMNS)
    if by == "cohort":
        fields = {"key": F("cohort_id")}
        if column == "label":
            fields["name"] = F("cohort__name")
        inner = qs.values(**fields).annotate(**STATUS_COUNTS).order_by()
        sql, params = inner.query.sql_with_params()
        name = "name" if column == "label" else "NULL"
        # Only constants and Django's compiled SQL (with its params) go in.
        source = f"SELECT key, {name} AS name, {counts} FROM ({sql}) per_group"  # noqa: S608
    else:
        # Grouped first by the text as typed (a cheap hash of the column, no
        # function per enrolment); then per spelling (trimmed), then the
        # partition by institution sums them and ranks the spellings by use.
        inner = (
            qs.values(typed=F("user__institution")).annotate(**STATUS_COUNTS).order_by()
        )
        sql, params = inner.query.sql_with_params()
        sums = ", ".join(f"SUM({c}) AS {c}" for c in COUNT_COLUMNS)
        per_spelling = (
            f"SELECT LOWER(TRIM(typed)) AS key, TRIM(typed) AS spelling, {sums}"  # noqa: S608
            f" FROM ({sql}) per_text GROUP BY LOWER(TRIM(typed)), TRIM(typed)"
        )
        sums = ", ".join(
            f"CAST(SUM({c}) OVER (PARTITION BY key) AS BIGINT) AS {c}"
            for c in COUNT_COLUMNS
        )
        source = (
            f"SELECT key, name, {counts} FROM (SELECT key, spelling AS name, {sums},"  # noqa: S608
            " ROW_NUMBER() OVER (PARTITION BY key ORDER BY total DESC, spelling)"
            f" AS spelling_rank FROM ({per_spelling}) per_spelling) ranked"
            " WHERE spelling_rank = 1"
        )
    order = {
        "label": "name" if by == "cohort" else "key",
        "completion_rate": "completed * 1.0 / total",
    }.get(column, column)
    direction = "DESC" if sort.startswith("-") else "ASC"
    window = ", ".join(
        f"CAST(SUM({c}) OVER () AS BIGINT) AS all_{c}" for c in COUNT_COLUMNS
    )
    query = (
        f"SELECT key, name, {counts}, COUNT(*) OVER () AS all_groups, {window}"  # noqa: S608
        f" FROM ({source}) grouped"
        f" ORDER BY {order} {direction} NULLS LAST, key {direction} NULLS LAST"
    )
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        fetched = cursor.fetchall()

    rows, aggregate, n_groups = [], {}, 0
    for key, name, total, active, completed, withdrawn, groups, *all_counts in fetched:
        rows.append(
            {
                "key": key,
                "label": name,
                "total": total,
                "active": active,
                "completed": completed,
                "withdrawn": withdrawn,
                "completion_rate": _rate(completed, total),
            }
        )
        aggregate, n_groups = dict(zip(COUNT_COLUMNS, all_counts, strict=True)), groups
    if by == "cohort" and column != "label":
        wanted = [row["key"] for row in rows if row["key"]]
        names = dict(Cohort.objects.filter(pk__in=wanted).values_list("pk", "name"))
        for row in rows:
            row["label"] = names.get(row["key"])
    for row in rows:
        if not row["label"]:
            row["label"] = (
                _("No cohort")
                if by == "cohort" and not row["key"]
                else (row["label"] or _("Not stated"))
            )
    return Table(
        columns=columns,
        rows=rows,
        totals=_totals(aggregate),
        sort=sort,
        groups=n_groups,
    )


def institution_spellings(keys: list[str]) -> dict[str, str]:
    """For each institution key (lower case, trimmed), the spelling people
    use most (ties: the first in alphabetical order). One query."""
    wanted = [k for k in keys if k]
    if not wanted:
        return {}
    best: dict[str, tuple[int, str]] = {}
    spellings = (
        User.objects.annotate(k=Lower(Trim("institution")))
        .filter(k__in=wanted)
        .values("k", spelling=Trim("institution"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in spellings:
        current = best.get(row["k"])
        candidate = (-row["n"], row["spelling"])
        if current is None or candidate < current:
            best[row["k"]] = candidate
    return {k: spelling for k, (_n, spelling) in best.items()}


def activity_over_time(filters: ReportFilters) -> list[dict]:
    """Enrolments (by enrolment date) and completions (by completion date)
    per period, oldest first: two queries."""
    trunc = TRUNCS.get(filters.granularity, TruncMonth)
    enrolled = (
        enrolment_scope(filters)
        .values(period=trunc("enrolled_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    completed = (
        enrolment_scope(filters, date_field="completed_at")
        .filter(completed_at__isnull=False)
        .values(period=trunc("completed_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    periods: dict = {}
    for row in enrolled:
        periods.setdefault(_as_date(row["period"]), [0, 0])[0] = row["n"]
    for row in completed:
        periods.setdefault(_as_date(row["period"]), [0, 0])[1] = row["n"]
    return [
        {
            "period": key,
            "label": period_label(key, filters.granularity),
            "enrolled": counts[0],
            "completed": counts[1],
        }
        for key, counts in sorted(periods.items())
    ]


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def enrolments_by_country(
    filters: ReportFilters, *, sort: str = "-total", limit: int = 15
) -> list[dict]:
    """Top countries by enrolments or completions (for the charts): two
    queries (counts and totals are one grouped query; no labels query)."""
    return enrolment_counts(filters, by="country", sort=sort, limit=limit).rows


# --- the cache ------------------------------------------------------------------

# What each kind of figure counts: a new row in any of these tables (every
# enrolment, status change and cohort move writes an EnrolmentEvent) gives a
# new cache key, so a fresh enrolment shows on the next view. Progress is
# read against the course tree (the drop-off's module order, and each
# enrolment's furthest lesson, refreshed when a lesson or module moves or is
# deleted): every move, delete or publish writes a page log entry.
_MARK_MODELS = {
    "enrolments": (Enrolment, EnrolmentEvent),
    "progress": (LessonProgress, PageLogEntry),
    "certificates": (Certificate, CertificateEvent),
}


def page_marks(*parts: str) -> tuple:
    """The data marks of what a page counts (`enrolments`, `progress`,
    `certificates`, `cascades`): one query of index look-ups."""
    models: list = []
    for part in parts:
        if part == "cascades":
            models.extend(cascade_freshness.CASCADE_MODELS)
        else:
            models.extend(_MARK_MODELS[part])
    marks = cascade_freshness.newest_ids(models)
    if "cascades" in parts:
        marks += (cascade_freshness.cascade_changes(),)
    return marks


def cached_for_filters(
    function: Callable, filters: ReportFilters, *, marks: tuple | None = None, **kwargs
):
    """`function(filters, **kwargs)`, cached per filter set, arguments,
    language (labels are translated) and data marks (`page_marks`; by default
    those of enrolments, progress and certificates). The marks change with
    every enrolment, status change, progress row and certificate event; what
    they miss (a participant's profile edited, a row deleted by hand) shows
    within CHART_CACHE_SECONDS. A cache outage only costs the queries."""
    if CHART_CACHE_SECONDS <= 0:
        return function(filters, **kwargs)
    if marks is None:
        marks = page_marks("enrolments", "progress", "certificates")
    fingerprint = json.dumps(
        [filters.to_json(), kwargs, marks], sort_keys=True, default=str
    ).encode()
    key = (
        f"reports:chart:{function.__name__}:{get_language() or ''}:"
        f"{hashlib.sha256(fingerprint).hexdigest()[:32]}"
    )
    return cascade_freshness.cached(
        key, lambda: function(filters, **kwargs), seconds=CHART_CACHE_SECONDS
    )


# --- completion ---------------------------------------------------------------


def completion_by_course(filters: ReportFilters, *, sort: str = "") -> Table:
    """Completion rate and median days to complete, per course."""
    qs = enrolment_scope(filters)
    annotations: dict[str, Any] = dict(STATUS_COUNTS)
    if median_in_sql():
        annotations["median"] = Median(
            _duration(), filter=Q(status=Enrolment.Status.COMPLETED)
        )
    rows = list(qs.values(key=F("course_id")).annotate(**annotations).order_by())
    titles = dict(
        CoursePage.objects.filter(pk__in=[r["key"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    for row in rows:
        row["label"] = titles.get(row["key"], "?")
    overall_median = None
    if median_in_sql():
        overall_median = qs.filter(status=Enrolment.Status.COMPLETED).aggregate(
            m=Median(_duration())
        )["m"]
        for row in rows:
            row["median_days"] = _days(row.pop("median"))
    else:
        # SQLite has no percentile function: fetch durations (one query).
        per_course: dict[int, list[float]] = {}
        everyone: list[float] = []
        for course_id, start, end in qs.filter(
            status=Enrolment.Status.COMPLETED, completed_at__isnull=False
        ).values_list("course_id", "enrolled_at", "completed_at"):
            days = (end - start).total_seconds() / 86400  # type: ignore[operator]
            per_course.setdefault(course_id, []).append(days)
            everyone.append(days)
        for row in rows:
            values = per_course.get(row["key"])
            row["median_days"] = round(statistics.median(values), 1) if values else None
        overall_median = statistics.median(everyone) if everyone else None
        overall_median = (
            timedelta(days=overall_median) if overall_median is not None else None
        )
    for row in rows:
        row["completion_rate"] = _rate(row["completed"], row["total"])
    columns = [
        ("label", _("Course")),
        ("total", _("Enrolments")),
        ("completed", _("Completed")),
        ("withdrawn", _("Withdrawn")),
        ("completion_rate", _("Completion rate (%)")),
        ("median_days", _("Median days to complete")),
    ]
    applied = sort_rows(rows, sort, {c for c, _l in columns}, "-total")
    totals = _sum(rows, ["total", "active", "completed", "withdrawn"])
    totals["label"] = _("Total")
    totals["completion_rate"] = _rate(totals["completed"], totals["total"])
    totals["median_days"] = _days(overall_median)
    return Table(columns=columns, rows=rows, totals=totals, sort=applied)


def _days(value: timedelta | None) -> float | None:
    if value is None:
        return None
    return round(value.total_seconds() / 86400, 1)


def module_dropoff(filters: ReportFilters) -> list[dict]:
    """How far enrolments got: for each module, in course order, how many
    enrolments reached it (made progress on one of its lessons or on a later
    module's), beside the course's enrolments. Four queries, whatever the data
    size: courses, modules and lessons (the page tree, small), and one grouped
    query over the enrolments in scope by course and furthest lesson
    (`Enrolment.furthest_lesson`, kept with the progress rows), which gives
    both the enrolments per course and how many stopped in each module,
    without reading a progress row."""
    courses = CoursePage.objects.order_by("path").values_list("pk", "path", "title")
    if filters.course_id:
        courses = courses.filter(pk=filters.course_id)
    courses = list(courses)
    modules = list(ModulePage.objects.order_by("path").values_list("path", "title"))
    lessons = LessonPage.objects.values_list("pk", "path")
    course_of_path = {path: (pk, title) for pk, path, title in courses}
    # Modules of the courses in scope, numbered in tree order.
    ordered: list[tuple[int, str, int, str]] = []  # (n, module path, course, title)
    for path, title in modules:
        course = course_of_path.get(path[:-4])
        if course is not None:
            ordered.append((len(ordered) + 1, path, course[0], title))
    number_of = {path: n for n, path, _c, _t in ordered}
    module_of_lesson = {
        pk: number_of[path[:-4]] for pk, path in lessons if path[:-4] in number_of
    }

    per_course: dict[int, int] = {}
    furthest: dict[int, int] = {}
    for course_id, lesson_id, n in (
        enrolment_scope(filters)
        .values_list("course_id", "furthest_lesson_id")
        .annotate(n=Count("id"))
        .order_by()
    ):
        per_course[course_id] = per_course.get(course_id, 0) + n
        module = module_of_lesson.get(lesson_id)
        if module is not None:
            furthest[module] = furthest.get(module, 0) + n

    rows = []
    reached_later: dict[int, int] = {}
    for n, path, course_pk, title in reversed(ordered):
        reached = reached_later.get(course_pk, 0) + furthest.get(n, 0)
        reached_later[course_pk] = reached
        enrolled = per_course.get(course_pk, 0)
        if not enrolled and not filters.course_id:
            continue
        rows.append(
            {
                "course": course_of_path[path[:-4]][1],
                "label": title,
                "reached": reached,
                "enrolled": enrolled,
                "percent": _rate(reached, enrolled),
            }
        )
    rows.reverse()
    return rows


# --- certificates -----------------------------------------------------------

CERT_ISSUED = Q(status=Certificate.Status.ISSUED)
CERT_PENDING = Q(status__in=[Certificate.Status.PENDING, Certificate.Status.RENDERING])
CERT_REVOKED = Q(status=Certificate.Status.REVOKED)


def certificate_counts(filters: ReportFilters, *, sort: str = "") -> Table:
    """Issued, pending and revoked certificates per course: one query (plus
    course titles). Issued counts by issue date, revoked by revocation date,
    pending by request date."""
    qs = certificate_scope(filters)
    rows = list(
        qs.values(
            key=Coalesce("enrolment__course_id", "attendee__session__cohort__course_id")
        )
        .annotate(
            issued=Count("id", filter=CERT_ISSUED & _in_period("issued_at", filters)),
            pending=Count(
                "id", filter=CERT_PENDING & _in_period("created_at", filters)
            ),
            revoked=Count(
                "id", filter=CERT_REVOKED & _in_period("revoked_at", filters)
            ),
        )
        .order_by()
    )
    titles = dict(
        CoursePage.objects.filter(pk__in=[r["key"] for r in rows]).values_list(
            "pk", "title"
        )
    )
    for row in rows:
        row["label"] = titles.get(row["key"], _("Unknown course"))
    rows = [r for r in rows if r["issued"] or r["pending"] or r["revoked"]]
    columns = [
        ("label", _("Course")),
        ("issued", _("Issued")),
        ("pending", _("Pending")),
        ("revoked", _("Revoked")),
    ]
    applied = sort_rows(rows, sort, {c for c, _l in columns}, "-issued")
    totals = _sum(rows, ["issued", "pending", "revoked"])
    totals["label"] = _("Total")
    return Table(columns=columns, rows=rows, totals=totals, sort=applied)


def certificates_over_time(filters: ReportFilters) -> list[dict]:
    trunc = TRUNCS.get(filters.granularity, TruncMonth)
    qs = certificate_scope(filters)
    issued = (
        qs.filter(issued_at__isnull=False)
        .filter(_in_period("issued_at", filters))
        .values(period=trunc("issued_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    revoked = (
        qs.filter(status=Certificate.Status.REVOKED, revoked_at__isnull=False)
        .filter(_in_period("revoked_at", filters))
        .values(period=trunc("revoked_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    periods: dict = {}
    for row in issued:
        periods.setdefault(_as_date(row["period"]), [0, 0])[0] = row["n"]
    for row in revoked:
        periods.setdefault(_as_date(row["period"]), [0, 0])[1] = row["n"]
    return [
        {
            "period": key,
            "label": period_label(key, filters.granularity),
            "issued": counts[0],
            "revoked": counts[1],
        }
        for key, counts in sorted(periods.items())
    ]


# --- cascades ---------------------------------------------------------------

from .cascade import cascade_summary  # noqa: E402,F401  (re-exported)

# --- the impact page ----------------------------------------------------------


def impact_numbers() -> dict:
    """Headline numbers, from the same selectors as the reports."""
    everything = ReportFilters()
    enrolments = enrolment_counts(everything, by="course")
    by_country = enrolment_counts(everything, by="country")
    certificates = certificate_counts(everything)
    cascade = cascade_summary(everything)
    participants = enrolment_scope(everything).values("user_id").distinct().count()
    return {
        "participants": participants,
        "enrolments": enrolments.totals["total"],
        "countries": sum(1 for row in by_country.rows if row["key"]),
        "courses": sum(1 for row in enrolments.rows if row["total"]),
        "certificates": certificates.totals["issued"],
        "cascade_reach": cascade["reach"],
    }


def impact_numbers_cached(*, language: str) -> dict:
    key = f"reports:impact:{language}"
    numbers = cache.get(key)
    if numbers is None:
        numbers = impact_numbers()
        cache.set(key, numbers, IMPACT_CACHE_SECONDS)
    return numbers


def impact_cache_clear() -> None:
    cache.delete_many([f"reports:impact:{code}" for code, _n in settings.LANGUAGES])
