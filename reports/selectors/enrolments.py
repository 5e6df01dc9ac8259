"""Enrolment counts: grouped by one dimension, over time, by country."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import Cast, Lower, Trim, TruncMonth
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from accounts.models import User
from enrolment.models import Cohort, Enrolment

from ..filters import ReportFilters
from .courses import course_groups, fold_by_course, language_name
from .scope import (
    INSTITUTION_KEY,
    TRUNCS,
    Table,
    as_date,
    column_sums,
    enrolment_scope,
    period_label,
    rate,
    sort_rows,
)

DIMENSIONS = {
    "course": gettext_lazy("Course"),
    "language": gettext_lazy("Language of study"),
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
    totals["completion_rate"] = rate(totals["completed"], totals["total"])
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
    if by in ("course", "language"):
        grouped = qs.values(key=F("course_id"))
    elif by == "period":
        trunc = TRUNCS.get(filters.granularity, TruncMonth)
        grouped = qs.values(key=trunc("enrolled_at"))
    else:
        source = "status" if by == "status" else f"user__{by}"
        grouped = qs.values(key=F(source))
    rows = list(grouped.annotate(**STATUS_COUNTS).order_by())

    label: Callable[[Any], str]
    if by in ("course", "language"):
        # Per course page, folded into courses (translations together) or
        # into languages of study; the labels come with the folding.
        courses = fold_by_course(
            rows, COUNT_COLUMNS, course_groups(r["key"] for r in rows), "?"
        )
        if by == "course":
            rows = courses
        else:
            rows = [
                {"key": code, **counts}
                for code, counts in column_sums_by_language(courses).items()
            ]
        label = _course_or_language_label(by, rows)
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
        row["completion_rate"] = rate(row["completed"], row["total"])
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
    totals = _totals(column_sums(rows, COUNT_COLUMNS))
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


def column_sums_by_language(courses: list[dict]) -> dict[str, dict]:
    """Counts per language of study, over folded course rows."""
    sums: dict[str, dict] = {}
    for row in courses:
        for code, counts in row["by_language"].items():
            target = sums.setdefault(code, dict.fromkeys(COUNT_COLUMNS, 0))
            for column in COUNT_COLUMNS:
                target[column] += counts[column]
    return sums


def _course_or_language_label(by: str, rows: list[dict]) -> Callable[[Any], str]:
    if by == "course":
        labels = {row["key"]: row["label"] for row in rows}
        return lambda k: labels.get(k, "?")
    return lambda k: language_name(str(k)) if k else _("Not stated")


class _SumOverGroups(Func):
    """`SUM(count)` over the grouped rows, for a window (`Sum` refuses an
    aggregate as its argument; `SUM(COUNT(...)) OVER ()` is standard SQL)."""

    function = "SUM"
    window_compatible = True
    output_field = BigIntegerField()


def _paged_enrolment_counts(
    filters: ReportFilters, *, by: str, sort: str, limit: int | None
) -> Table:
    """Cohorts and institutions: one query groups, sorts and cuts, and window
    functions over the groups give the totals and the number of groups (no
    second pass over the enrolments). Cohort names come from one small query
    for the rows returned (or from the grouped query when sorting by name);
    an institution's label is its most common spelling among the enrolments
    counted, from one more query for the rows returned."""
    qs = enrolment_scope(filters)
    columns = _enrolment_columns(by)
    if sort.lstrip("-") not in {c for c, _l in columns}:
        sort = "-total"
    column = sort.lstrip("-")
    fields: dict[str, Any]
    if by == "cohort":
        fields = {"key": F("cohort_id")}
        if column == "label":
            fields["name"] = F("cohort__name")
    else:
        fields = {"key": INSTITUTION_KEY}
    grouped = (
        qs.values(**fields)
        .annotate(**STATUS_COUNTS)
        .annotate(
            all_groups=Window(Count("*")),
            **{f"all_{c}": Window(_SumOverGroups(c)) for c in COUNT_COLUMNS},
        )
    )
    order = {"label": "name" if by == "cohort" else "key"}.get(column, column)
    if column == "completion_rate":
        grouped = grouped.annotate(
            completed_share=Cast("completed", FloatField())
            / Cast("total", FloatField())
        )
        order = "completed_share"
    if sort.startswith("-"):
        ordering = [F(n).desc(nulls_last=True) for n in (order, "key")]
    else:
        ordering = [F(n).asc(nulls_last=True) for n in (order, "key")]
    grouped = grouped.order_by(*ordering)
    if limit is not None:
        grouped = grouped[:limit]

    rows, aggregate, n_groups = [], {}, 0
    for row in grouped:
        rows.append(
            {
                "key": row["key"],
                "label": row.get("name"),
                **{c: row[c] for c in COUNT_COLUMNS},
                "completion_rate": rate(row["completed"], row["total"]),
            }
        )
        aggregate = {c: int(row[f"all_{c}"] or 0) for c in COUNT_COLUMNS}
        n_groups = row["all_groups"]
    wanted = [row["key"] for row in rows if row["key"]]
    names: dict[Any, str]
    if by == "institution":
        names = _spellings(qs, wanted)
    elif column != "label":
        names = dict(Cohort.objects.filter(pk__in=wanted).values_list("pk", "name"))
    else:
        names = {}
    for row in rows:
        row["label"] = names.get(row["key"], row["label"])
        if not row["label"]:
            row["label"] = (
                _("No cohort") if by == "cohort" and not row["key"] else _("Not stated")
            )
    return Table(
        columns=columns,
        rows=rows,
        totals=_totals(aggregate),
        sort=sort,
        groups=n_groups,
    )


def _spellings(qs: QuerySet[Enrolment], keys: list[str]) -> dict[str, str]:
    """For each institution key, the spelling (trimmed) that most enrolments
    in `qs` carry (ties: the first in alphabetical order). One query."""
    if not keys:
        return {}
    best: dict[str, tuple[int, str]] = {}
    spellings = (
        qs.annotate(k=INSTITUTION_KEY)
        .filter(k__in=keys)
        .values("k", spelling=Trim("user__institution"))
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in spellings:
        candidate = (-row["n"], row["spelling"])
        if row["k"] not in best or candidate < best[row["k"]]:
            best[row["k"]] = candidate
    return {k: spelling for k, (_n, spelling) in best.items()}


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
        periods.setdefault(as_date(row["period"]), [0, 0])[0] = row["n"]
    for row in completed:
        periods.setdefault(as_date(row["period"]), [0, 0])[1] = row["n"]
    return [
        {
            "period": key,
            "label": period_label(key, filters.granularity),
            "enrolled": counts[0],
            "completed": counts[1],
        }
        for key, counts in sorted(periods.items())
    ]


def enrolments_by_country(
    filters: ReportFilters, *, sort: str = "-total", limit: int = 15
) -> list[dict]:
    """Top countries by enrolments or completions (for the charts): two
    queries (counts and totals are one grouped query; no labels query)."""
    return enrolment_counts(filters, by="country", sort=sort, limit=limit).rows
