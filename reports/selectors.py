"""Read-only aggregates for the reports, the exports and the impact page.

Every function takes `ReportFilters` and runs a fixed number of queries,
whatever the data size. The period filter applies to the date of what is
counted: enrolment date for enrolments (and completion rates), completion
date for completions, issue/revoke date for certificates."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

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
)
from django.db.models.functions import (
    Coalesce,
    Left,
    TruncMonth,
    TruncQuarter,
    TruncYear,
)
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from accounts.models import User
from certificates.models import Certificate
from courses.models import CoursePage, ModulePage
from enrolment.models import Enrolment, LessonProgress

from .filters import ReportFilters

IMPACT_CACHE_SECONDS = 600

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
        qs = qs.filter(user__institution__iexact=filters.institution)
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
        qs = qs.filter(enrolment__user__institution__iexact=filters.institution)
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


def enrolment_counts(
    filters: ReportFilters, *, by: str = "course", sort: str = ""
) -> Table:
    """Enrolment counts grouped by one dimension, with status columns."""
    if by not in DIMENSIONS:
        by = "course"
    qs = enrolment_scope(filters)
    if by == "course":
        grouped = qs.values(key=F("course_id"), name=F("course__title"))
    elif by == "cohort":
        grouped = qs.values(key=F("cohort_id"), name=F("cohort__name"))
    elif by == "period":
        trunc = TRUNCS.get(filters.granularity, TruncMonth)
        grouped = qs.values(key=trunc("enrolled_at"))
    else:
        source = "status" if by == "status" else f"user__{by}"
        grouped = qs.values(key=F(source))
    rows = list(grouped.annotate(**STATUS_COUNTS).order_by())

    if by == "country":
        label = lambda k: str(countries.name(k)) if k else _("Not stated")  # noqa: E731
    elif by == "organisation_type":
        label = _choice_label(User.OrganisationType.choices)
    elif by == "gender":
        label = _choice_label(User.Gender.choices)
    elif by == "status":
        label = _choice_label(Enrolment.Status.choices)
    elif by == "period":
        label = lambda k: period_label(k, filters.granularity)  # noqa: E731
    elif by == "institution":
        label = lambda k: k or _("Not stated")  # noqa: E731
    else:
        label = None
    for row in rows:
        if label is not None:
            row["label"] = label(row["key"])
        else:
            row["label"] = row.pop("name", None) or (
                _("No cohort") if by == "cohort" else "?"
            )
        row.pop("name", None)
        row["completion_rate"] = _rate(row["completed"], row["total"])
        if by == "period":
            row["sort_key"] = row["key"]
    columns = [
        ("label", str(DIMENSIONS[by])),
        ("total", _("Enrolments")),
        ("active", _("Active")),
        ("completed", _("Completed")),
        ("withdrawn", _("Withdrawn")),
        ("completion_rate", _("Completion rate (%)")),
    ]
    if by == "period":
        default = "sort_key"
        allowed = {c for c, _l in columns} | {"sort_key"}
        if sort.lstrip("-") == "label":
            sort = sort.replace("label", "sort_key")
    else:
        default, allowed = "-total", {c for c, _l in columns}
    applied = sort_rows(rows, sort, allowed, default)
    totals = _sum(rows, ["total", "active", "completed", "withdrawn"])
    totals["label"] = _("Total")
    totals["completion_rate"] = _rate(totals["completed"], totals["total"])
    return Table(
        columns=columns,
        rows=rows,
        totals=totals,
        sort=applied.replace("sort_key", "label"),
    )


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


def enrolments_by_country(filters: ReportFilters, *, limit: int = 15) -> list[dict]:
    """Top countries by enrolments (for the chart): one query."""
    table = enrolment_counts(filters, by="country", sort="-total")
    return table.rows[:limit]


# --- completion ---------------------------------------------------------------


def completion_by_course(filters: ReportFilters, *, sort: str = "") -> Table:
    """Completion rate and median days to complete, per course."""
    qs = enrolment_scope(filters)
    annotations = dict(STATUS_COUNTS)
    if median_in_sql():
        annotations["median"] = Median(
            _duration(), filter=Q(status=Enrolment.Status.COMPLETED)
        )
    rows = list(
        qs.values(key=F("course_id"), label=F("course__title"))
        .annotate(**annotations)
        .order_by()
    )
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
            days = (end - start).total_seconds() / 86400
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
    """How many enrolments reached each module (made progress on at least one
    of its lessons), in course order: three queries."""
    enrolments = enrolment_scope(filters)
    reached = dict(
        LessonProgress.objects.filter(enrolment__in=enrolments.values("pk"))
        .values(module_path=Left("lesson__path", (F("lesson__depth") - 1) * 4))
        .annotate(n=Count("enrolment_id", distinct=True))
        .order_by()
        .values_list("module_path", "n")
    )
    modules = ModulePage.objects.order_by("path").values("path", "title", "depth")
    if filters.course_id:
        course_path = (
            CoursePage.objects.filter(pk=filters.course_id)
            .values_list("path", flat=True)
            .first()
        )
        modules = modules.filter(path__startswith=course_path or "-")
    per_course = dict(
        enrolments.values("course__path")
        .annotate(n=Count("id"))
        .values_list("course__path", "n")
    )
    courses = dict(CoursePage.objects.values_list("path", "title"))
    rows = []
    for module in modules:
        if module["path"] not in reached and not filters.course_id:
            continue
        course_path = module["path"][: (module["depth"] - 1) * 4]
        enrolled = per_course.get(course_path, 0)
        n = reached.get(module["path"], 0)
        rows.append(
            {
                "course": courses.get(course_path, "?"),
                "label": module["title"],
                "reached": n,
                "enrolled": enrolled,
                "percent": _rate(n, enrolled),
            }
        )
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
