"""Export rows for every report and for the enrolment list, written as CSV
(streamed) or XLSX (openpyxl write-only). Cells that a spreadsheet would read
as a formula are neutralised with a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO

from django.db.models import Count, DateTimeField, Func
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from cascades.selectors import ReachOverTime, programme_reach_over_time
from courses.models import CoursePage, LessonPage
from enrolment.models import Enrolment, LessonProgress

from . import selectors
from .filters import ReportFilters

# Rows above this are built by a Celery task, never on the request thread.
SYNC_EXPORT_LIMIT = 10_000
CHUNK_SIZE = 2000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
KINDS = [
    "enrolments",
    "completion",
    "certificates",
    "cascades",
    "cascade_months",
    "enrolment_list",
]


def neutralise(value):
    """A string a spreadsheet would run as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


# Rows per piece of a streamed CSV: large enough that the per-piece overhead
# of the response does not count, small enough to keep memory flat.
CSV_ROWS_PER_PIECE = 500


def _cell(value) -> object:
    """A CSV cell: text neutralised, datetimes as UTC minutes, None empty."""
    if value.__class__ is str:
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%d %H:%M")
    return neutralise(value)


def csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[str]:
    """CSV text, a few hundred lines at a time (with a BOM so spreadsheets
    read UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(h)) for h in header])
    yield "\ufeff" + _drain(buffer)
    pending = 0
    for row in rows:
        writer.writerow([_cell(v) for v in row])
        pending += 1
        if pending == CSV_ROWS_PER_PIECE:
            yield _drain(buffer)
            pending = 0
    if pending:
        yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def write_csv(header: list[str], rows: Iterable[list], fileobj: IO[bytes]) -> int:
    """Writes the CSV; returns the number of rows (without the header)."""
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    for chunk in csv_chunks(header, counted()):
        fileobj.write(chunk.encode("utf-8"))
    return count


def _xlsx_value(value):
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return neutralise(value)


class UTCTimestamp(Func):
    """A datetime column as a naive UTC datetime. On PostgreSQL this is
    `AT TIME ZONE 'UTC'`: psycopg loads plain timestamps in C, where Django's
    loader for aware ones is Python (a third of a 100,000-row export's time).
    Elsewhere the column as it is."""

    output_field = DateTimeField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} AT TIME ZONE 'UTC')", params


def write_xlsx(header: list[str], rows: Iterable[list], fileobj: IO[bytes]) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="Relais")
    sheet.append([neutralise(str(h)) for h in header])
    count = 0
    for row in rows:
        sheet.append([_xlsx_value(v) for v in row])
        count += 1
    workbook.save(fileobj)
    return count


# --- what each export contains ---------------------------------------------


def _table_rows(table: selectors.Table) -> tuple[list[str], list[list]]:
    header = [str(label) for _key, label in table.columns]
    keys = [key for key, _label in table.columns]
    rows = [[row.get(k) for k in keys] for row in table.rows]
    rows.append([table.totals.get(k) for k in keys])
    return header, rows


def report_export(kind: str, filters: ReportFilters, options: dict) -> tuple:
    """(header, rows, row_count) for an export kind. `rows` is a list for the
    aggregate reports and a lazy generator for the enrolment list."""
    sort = options.get("sort", "")
    if kind == "enrolments":
        table = selectors.enrolment_counts(filters, by=options.get("by", ""), sort=sort)
        header, rows = _table_rows(table)
    elif kind == "completion":
        header, rows = _table_rows(selectors.completion_by_course(filters, sort=sort))
    elif kind == "certificates":
        header, rows = _table_rows(selectors.certificate_counts(filters, sort=sort))
    elif kind == "cascades":
        summary = selectors.cascade_summary(filters)
        header = [
            _("Generation"),
            _("Cohorts"),
            _("Sessions"),
            _("People (named)"),
            _("Anonymous attendees"),
            _("People reached"),
            _("Trainers produced"),
            _("Multiplier"),
        ]
        keys = [
            "label",
            "cohorts",
            "sessions",
            "people",
            "anonymous",
            "reach",
            "trainers",
            "multiplier",
        ]
        rows = [[g.get(k) for k in keys] for g in summary["by_generation"]]
        rows.append(
            [_("Total"), summary["cohorts"], "", "", "", summary["reach"]]
            + [summary["trainers"], summary["multiplier"]]
        )
    elif kind == "cascade_months":
        data = programme_reach_over_time(course_id=filters.course_id)
        header, rows = reach_over_time_rows(data)
    elif kind == "enrolment_list":
        scope = selectors.enrolment_scope(filters)
        return ENROLMENT_LIST_HEADER(), enrolment_list_rows(filters), scope.count()
    else:
        raise ValueError(kind)
    return header, rows, len(rows)


def reach_over_time_rows(data: ReachOverTime) -> tuple[list[str], list[list]]:
    """Month (YYYY-MM), people reached per generation, total; then totals."""
    header = [_("Month")]
    header += [_("Generation %(n)s") % {"n": g} for g in data.generations]
    header.append(_("Total"))
    rows: list[list] = [
        [f"{m.month:%Y-%m}", *m.by_generation, m.total] for m in data.months
    ]
    rows.append([_("Total"), *data.totals, data.total])
    return header, rows


def ENROLMENT_LIST_HEADER() -> list[str]:  # noqa: N802 - translated at call time
    return [
        _("User id"),
        _("Name"),
        _("Email"),
        _("Country"),
        _("Institution"),
        _("Organisation type"),
        _("Gender"),
        _("Course"),
        _("Cohort"),
        _("Status"),
        _("Enrolled"),
        _("Completed"),
        _("Progress (%)"),
    ]


def lessons_per_course() -> dict[int, int]:
    """Live lessons per course, from two small queries (tree paths)."""
    courses = list(CoursePage.objects.values_list("pk", "path"))
    counts = {pk: 0 for pk, _path in courses}
    by_path = {path: pk for pk, path in courses}
    for path, depth in LessonPage.objects.live().values_list("path", "depth"):
        # A lesson sits two levels below its course (course > module > lesson).
        course_pk = by_path.get(path[: (depth - 2) * 4])
        if course_pk is not None:
            counts[course_pk] += 1
    return counts


def _progress_counts(enrolment_ids: list[int]) -> dict[int, int]:
    # The chunk is ordered by id: a range scan of the (enrolment, lesson) index
    # is far cheaper than a 2,000-value IN list.
    return dict(
        LessonProgress.objects.filter(
            enrolment_id__gte=enrolment_ids[0],
            enrolment_id__lte=enrolment_ids[-1],
            completed_at__isnull=False,
        )
        .values("enrolment_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("enrolment_id", "n")
    )


def enrolment_list_rows(filters: ReportFilters) -> Iterator[list]:
    """One row per enrolment, streamed from the database in chunks; lessons
    done are counted per chunk (one grouped query per 2,000 rows), which is
    much cheaper than a correlated subquery per row."""
    totals = lessons_per_course()
    rows = (
        selectors.enrolment_scope(filters)
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "user__first_name",
            "user__last_name",
            "user__email",
            "user__country",
            "user__institution",
            "user__organisation_type",
            "user__gender",
            "course_id",
            "course__title",
            "cohort__name",
            "status",
            UTCTimestamp("enrolled_at"),
            UTCTimestamp("completed_at"),
        )
    )
    # Labels translated once, not once per row.
    labels = {
        "org": {k: str(v) for k, v in User.OrganisationType.choices},
        "gender": {k: str(v) for k, v in User.Gender.choices},
        "status": {k: str(v) for k, v in Enrolment.Status.choices},
        "country": {k: str(v) for k, v in countries},
    }
    buffer: list[tuple] = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        buffer.append(row)
        if len(buffer) >= CHUNK_SIZE:
            yield from _format_rows(buffer, totals, labels)
            buffer = []
    if buffer:
        yield from _format_rows(buffer, totals, labels)


def _format_rows(
    buffer: list[tuple], totals: dict[int, int], labels: dict
) -> Iterator[list]:
    done = _progress_counts([row[0] for row in buffer])
    org_types, genders = labels["org"], labels["gender"]
    statuses, country_names = labels["status"], labels["country"]
    for (
        pk,
        user_id,
        first,
        last,
        email,
        country,
        institution,
        org_type,
        gender,
        course_id,
        course,
        cohort,
        status,
        enrolled,
        completed,
    ) in buffer:
        total = totals.get(course_id) or 0
        n_done = done.get(pk, 0)
        yield [
            user_id,
            f"{first} {last}".strip(),
            email,
            country_names.get(country, country or ""),
            institution,
            org_types.get(org_type, org_type or ""),
            genders.get(gender, gender or ""),
            course,
            cohort or "",
            statuses.get(status, status),
            enrolled,
            completed,
            round(100 * min(n_done, total) / total) if total else 0,
        ]
