"""Report pages: thin. Read the filters, call the selectors, render."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cascades.timeline import reach_timeline

from .. import charts, selectors
from ..access import reports_staff_required
from ..cascade import cascade_over_time, cascade_picture_for
from ..filters import GRANULARITIES, filter_form_for
from ..models import ExportJob
from ..services import export_params

READY_EXPORTS_WINDOW = timedelta(days=2)


def _base_context(request, kind: str, title: str) -> dict:
    form, filters, valid = filter_form_for(request.GET)
    if not valid:
        errors = "; ".join(
            f"{form.fields[name].label if name in form.fields else ''}: {' '.join(map(str, errs))}".lstrip(
                ": "
            )
            for name, errs in form.errors.items()
        )
        messages.error(
            request,
            _(
                "Some filters could not be used (%(errors)s). Showing the report without filters."
            )
            % {"errors": errors},
        )
    query = request.GET.copy()
    query.pop("sort", None)
    ready = list(
        ExportJob.objects.filter(
            requested_by=request.user,
            status=ExportJob.Status.DONE,
            finished_at__gte=timezone.now() - READY_EXPORTS_WINDOW,
        )[:5]
    )
    export_query = export_params(request.GET) if valid else {}
    return {
        "kind": kind,
        "page_title": title,
        "header_title": title,
        "form": form,
        "filters": filters,
        "filters_valid": valid,
        "query_without_sort": query.urlencode(),
        "export_query": "&".join(f"{k}={v}" for k, v in _quoted(export_query)),
        "ready_exports": ready,
        "granularity_label": GRANULARITIES.get(filters.granularity),
        "report_links": report_links(),
    }


def _quoted(params: dict):
    from urllib.parse import quote

    for key, value in params.items():
        yield key, quote(str(value))


def report_links() -> list[tuple[str, str]]:
    return [
        (reverse("relais_reports:enrolments"), _("Enrolments")),
        (reverse("relais_reports:completion"), _("Completion")),
        (reverse("relais_reports:certificates"), _("Certificates")),
        (reverse("relais_reports:cascades"), _("Cascades")),
        (reverse("relais_reports:export_jobs"), _("Exports")),
    ]


def _columns(table: selectors.Table, query: str) -> list[dict]:
    """Column headers with their sort links (toggling direction)."""
    prefix = f"{query}&" if query else ""
    out = []
    for key, label in table.columns:
        current = table.sort.lstrip("-") == key
        descending = table.sort.startswith("-")
        next_sort = key if (current and descending) else f"-{key}"
        if key == "label" and not current:
            next_sort = key
        aria = ""
        if current:
            aria = "descending" if descending else "ascending"
        out.append(
            {
                "key": key,
                "label": label,
                "url": f"?{prefix}sort={next_sort}",
                "aria_sort": aria,
            }
        )
    return out


def _table_context(table: selectors.Table, query: str) -> dict:
    """The table's headers, its first ROWS_ON_PAGE rows as cells, how many
    rows are left out (by the query's limit or here) and the totals row."""
    keys = [key for key, _label in table.columns]
    rows = [[row.get(k) for k in keys] for row in table.rows]
    return {
        "columns": _columns(table, query),
        "rows": rows[:ROWS_ON_PAGE],
        "rows_hidden": table.rows_hidden + max(0, len(rows) - ROWS_ON_PAGE),
        "totals": [table.totals.get(k) for k in keys],
    }


# Tables longer than this show their first rows; the export has them all.
ROWS_ON_PAGE = 200
COUNTRIES_IN_CHART = 15


@reports_staff_required
def index(request):
    return redirect("relais_reports:enrolments")


@reports_staff_required
def enrolments(request):
    context = _base_context(request, "enrolments", _("Enrolments"))
    filters = context["filters"]
    by = request.GET.get("by", "course")
    if by not in selectors.DIMENSIONS:
        by = "course"
    groups = ("enrolments",)
    table = selectors.cached_for_filters(
        selectors.enrolment_counts,
        filters,
        depends_on=groups,
        by=by,
        sort=request.GET.get("sort", ""),
        limit=ROWS_ON_PAGE,
    )
    over_time = selectors.cached_for_filters(
        selectors.activity_over_time, filters, depends_on=groups
    )
    if by == "country" and table.sort == "-total":
        by_country = table.rows[:COUNTRIES_IN_CHART]
    else:
        by_country = selectors.cached_for_filters(
            selectors.enrolments_by_country,
            filters,
            depends_on=groups,
            limit=COUNTRIES_IN_CHART,
        )
    context.update(
        {
            "by": by,
            "dimensions": [(k, str(v)) for k, v in selectors.DIMENSIONS.items()],
            **_table_context(table, context["query_without_sort"]),
            "over_time": over_time,
            "by_country": by_country,
            "time_chart": charts.column_chart(
                over_time,
                series=[("enrolled", _("Enrolments")), ("completed", _("Completions"))],
                title=_("Enrolments and completions over time"),
                title_id="chart-time-title",
            ),
            "country_chart": charts.bar_chart(
                by_country,
                value_key="total",
                title=_("Enrolments by country"),
                title_id="chart-country-title",
            ),
            "export_extra": f"by={by}",
        }
    )
    return TemplateResponse(request, "reports/enrolments.html", context)


@reports_staff_required
def completion(request):
    context = _base_context(request, "completion", _("Completion"))
    filters = context["filters"]
    groups = ("enrolments", "progress")
    table = selectors.cached_for_filters(
        selectors.completion_by_course,
        filters,
        depends_on=groups,
        sort=request.GET.get("sort", ""),
    )
    over_time = selectors.cached_for_filters(
        selectors.activity_over_time, filters, depends_on=groups
    )
    by_country = selectors.cached_for_filters(
        selectors.enrolments_by_country,
        filters,
        depends_on=groups,
        sort="-completed",
        limit=COUNTRIES_IN_CHART,
    )
    context.update(
        {
            **_table_context(table, context["query_without_sort"]),
            "summary": table.totals,
            "dropoff": selectors.cached_for_filters(
                selectors.module_dropoff, filters, depends_on=groups
            ),
            "over_time": over_time,
            "by_country": by_country,
            "time_chart": charts.column_chart(
                over_time,
                series=[("completed", _("Completions"))],
                title=_("Completions over time"),
                title_id="chart-time-title",
            ),
            "country_chart": charts.bar_chart(
                by_country,
                value_key="completed",
                title=_("Completions by country"),
                title_id="chart-country-title",
            ),
        }
    )
    return TemplateResponse(request, "reports/completion.html", context)


@reports_staff_required
def certificates(request):
    context = _base_context(request, "certificates", _("Certificates"))
    filters = context["filters"]
    groups = ("certificates",)
    table = selectors.cached_for_filters(
        selectors.certificate_counts,
        filters,
        depends_on=groups,
        sort=request.GET.get("sort", ""),
    )
    over_time = selectors.cached_for_filters(
        selectors.certificates_over_time, filters, depends_on=groups
    )
    context.update(
        {
            **_table_context(table, context["query_without_sort"]),
            "over_time": over_time,
            "time_chart": charts.column_chart(
                over_time,
                series=[("issued", _("Issued")), ("revoked", _("Revoked"))],
                title=_("Certificates issued and revoked over time"),
                title_id="chart-time-title",
            ),
        }
    )
    return TemplateResponse(request, "reports/certificates.html", context)


@reports_staff_required
def cascades(request):
    context = _base_context(request, "cascades", _("Cascades"))
    # The reach query walks every cascade tree: cached like the other reports.
    summary = selectors.cached_for_filters(
        selectors.cascade_summary,
        context["filters"],
        depends_on=("cascades", "enrolments"),
    )
    over_time = selectors.cached_for_filters(
        cascade_over_time, context["filters"], depends_on=("cascades", "enrolments")
    )
    context.update(
        {
            "summary": summary,
            "picture": cascade_picture_for(
                summary, course_id=context["filters"].course_id, names=True
            ),
            "over_time": over_time,
            "timeline": reach_timeline(over_time),
            "country_chart": charts.bar_chart(
                summary["by_country"][:15],
                value_key="reach",
                title=_("Cascade reach by country"),
                title_id="chart-country-title",
            ),
        }
    )
    return TemplateResponse(request, "reports/cascades.html", context)
