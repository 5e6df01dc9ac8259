"""What a report counts (the filters applied to enrolments and certificates)
and the tables it returns (rows, totals, sorting)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower, Trim, TruncMonth, TruncQuarter, TruncYear
from django.utils.translation import gettext as _

from certificates.models import Certificate
from enrolment.models import Enrolment

from ..filters import ReportFilters
from .courses import same_course

TRUNCS = {"month": TruncMonth, "quarter": TruncQuarter, "year": TruncYear}


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
        qs = qs.filter(same_course(filters.course_id))
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
            same_course(filters.course_id, "enrolment__course_id")
            | same_course(filters.course_id, "attendee__session__cohort__course_id")
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


def in_period(prefix: str, filters: ReportFilters) -> Q:
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


def column_sums(rows: list[dict], keys: list[str]) -> dict:
    return {k: sum((row.get(k) or 0) for row in rows) for k in keys}


def rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value
