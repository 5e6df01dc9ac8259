"""Certificates: issued, pending and revoked per course and over time."""

from __future__ import annotations

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, TruncMonth
from django.utils.translation import gettext as _

from certificates.models import Certificate

from ..filters import ReportFilters
from .courses import course_groups, fold_by_course
from .scope import (
    TRUNCS,
    Table,
    as_date,
    certificate_scope,
    column_sums,
    in_period,
    period_label,
    sort_rows,
)

CERT_ISSUED = Q(status=Certificate.Status.ISSUED)
CERT_PENDING = Q(status__in=[Certificate.Status.PENDING, Certificate.Status.RENDERING])
CERT_REVOKED = Q(status=Certificate.Status.REVOKED)


def certificate_counts(filters: ReportFilters, *, sort: str = "") -> Table:
    """Issued, pending and revoked certificates per course (its translations
    together): one query (plus the courses' names). Issued counts by issue date, revoked by revocation date,
    pending by request date."""
    qs = certificate_scope(filters)
    rows = list(
        qs.values(
            key=Coalesce("enrolment__course_id", "attendee__session__cohort__course_id")
        )
        .annotate(
            issued=Count("id", filter=CERT_ISSUED & in_period("issued_at", filters)),
            pending=Count("id", filter=CERT_PENDING & in_period("created_at", filters)),
            revoked=Count("id", filter=CERT_REVOKED & in_period("revoked_at", filters)),
        )
        .order_by()
    )
    # One row per course, its translations together.
    rows = fold_by_course(
        rows,
        ["issued", "pending", "revoked"],
        course_groups(r["key"] for r in rows),
        _("Unknown course"),
    )
    rows = [r for r in rows if r["issued"] or r["pending"] or r["revoked"]]
    columns = [
        ("label", _("Course")),
        ("issued", _("Issued")),
        ("pending", _("Pending")),
        ("revoked", _("Revoked")),
    ]
    applied = sort_rows(rows, sort, {c for c, _l in columns}, "-issued")
    totals = column_sums(rows, ["issued", "pending", "revoked"])
    totals["label"] = _("Total")
    return Table(columns=columns, rows=rows, totals=totals, sort=applied)


def certificates_over_time(filters: ReportFilters) -> list[dict]:
    trunc = TRUNCS.get(filters.granularity, TruncMonth)
    qs = certificate_scope(filters)
    issued = (
        qs.filter(issued_at__isnull=False)
        .filter(in_period("issued_at", filters))
        .values(period=trunc("issued_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    revoked = (
        qs.filter(status=Certificate.Status.REVOKED, revoked_at__isnull=False)
        .filter(in_period("revoked_at", filters))
        .values(period=trunc("revoked_at"))
        .annotate(n=Count("id"))
        .order_by()
    )
    periods: dict = {}
    for row in issued:
        periods.setdefault(as_date(row["period"]), [0, 0])[0] = row["n"]
    for row in revoked:
        periods.setdefault(as_date(row["period"]), [0, 0])[1] = row["n"]
    return [
        {
            "period": key,
            "label": period_label(key, filters.granularity),
            "issued": counts[0],
            "revoked": counts[1],
        }
        for key, counts in sorted(periods.items())
    ]
