"""Completion: rates and median days per course, and the module drop-off."""

from __future__ import annotations

import statistics

from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage, ModulePage
from enrolment.models import Enrolment

from ..filters import ReportFilters
from .courses import (
    course_groups,
    fold_by_course,
    language_name,
    languages_present,
    same_course,
)
from .enrolments import STATUS_COUNTS
from .scope import Table, column_sums, enrolment_scope, rate, sort_rows

COUNTS = ["total", "active", "completed", "withdrawn"]


def completion_by_course(filters: ReportFilters, *, sort: str = "") -> Table:
    """Completion rate and median days to complete, per course (its
    translations together), with enrolments and completions per language of
    study (a pair of columns for each language that has enrolments)."""
    qs = enrolment_scope(filters)
    per_page = list(qs.values(key=F("course_id")).annotate(**STATUS_COUNTS).order_by())
    groups = course_groups(r["key"] for r in per_page)
    rows = fold_by_course(per_page, COUNTS, groups, "?")
    done = qs.filter(status=Enrolment.Status.COMPLETED, completed_at__isnull=False)
    per_course = _medians(done, per_course=True, groups=groups)
    overall = _medians(done, per_course=False).get(None)
    languages = languages_present(rows)
    for row in rows:
        row["median_days"] = per_course.get(row["key"])
        row["completion_rate"] = rate(row["completed"], row["total"])
        for code in languages:
            counts = row["by_language"].get(code, {})
            row[f"total_{code}"] = counts.get("total", 0)
            row[f"completed_{code}"] = counts.get("completed", 0)
    columns = [
        ("label", _("Course")),
        ("total", _("Enrolments")),
        ("completed", _("Completed")),
        ("withdrawn", _("Withdrawn")),
        ("completion_rate", _("Completion rate (%)")),
        ("median_days", _("Median days to complete")),
    ]
    for code in languages:
        name = language_name(code)
        columns += [
            (f"total_{code}", _("Enrolments in %(language)s") % {"language": name}),
            (f"completed_{code}", _("Completed in %(language)s") % {"language": name}),
        ]
    applied = sort_rows(rows, sort, {c for c, _l in columns}, "-total")
    totals = column_sums(rows, COUNTS + [c for c, _l in columns[6:]])
    totals["label"] = _("Total")
    totals["completion_rate"] = rate(totals["completed"], totals["total"])
    totals["median_days"] = overall
    return Table(columns=columns, rows=rows, totals=totals, sort=applied)


def _medians(
    done: QuerySet[Enrolment], *, per_course: bool, groups: dict | None = None
) -> dict:
    """Median days from enrolment to completion, per course (its
    translations together, keyed as `groups` says; or overall, under the key
    None), rounded to a tenth. One query: the completions are
    numbered by duration in SQL (window functions, on every database) and
    only the middle one or two of each course come back."""
    partition = [F("course__translation_key")] if per_course else None
    duration = ExpressionWrapper(
        F("completed_at") - F("enrolled_at"), output_field=DurationField()
    )
    middle = (
        done.annotate(
            duration=duration,
            position=Window(RowNumber(), partition_by=partition, order_by=duration),
            of=Window(Count("*"), partition_by=partition),
        )
        .filter(position__gte=(F("of") + 1) / 2, position__lte=(F("of") + 2) / 2)
        .values_list("course_id", "duration")
    )
    found: dict = {}
    rows = list(middle)
    for course_id, value in rows:
        group = (groups or {}).get(course_id)
        key = (group.pk if group else course_id) if per_course else None
        found.setdefault(key, []).append(value.total_seconds() / 86400)
    return {key: round(statistics.mean(days), 1) for key, days in found.items()}


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
        courses = courses.filter(same_course(filters.course_id, "pk"))
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
                "percent": rate(reached, enrolled),
            }
        )
    rows.reverse()
    return rows
