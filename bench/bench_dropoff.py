"""Benchmark: the drop-off report's grouped query, read from the kept
`Enrolment.furthest_lesson` or from the lesson progress rows, on a copy of
the scale data (100,000 enrolments, 1,000,000 progress rows). Read only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_h4_scale \
    .venv/bin/python bench/bench_dropoff.py

Prints the median of RUNS runs (after one warm-up) per variant, unfiltered
and filtered by the scale course. Not part of the test suite."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.test")

import django  # noqa: E402

django.setup()

from django.db.models import (  # noqa: E402
    Case,
    Count,
    IntegerField,
    Max,
    OuterRef,
    Subquery,
    Value,
    When,
)

from courses.models import CoursePage, LessonPage, ModulePage  # noqa: E402
from enrolment.models import Enrolment, LessonProgress  # noqa: E402
from reports.filters import ReportFilters  # noqa: E402
from reports.selectors import enrolment_scope  # noqa: E402

RUNS = int(os.environ.get("RUNS", "7"))


def kept_field(filters: ReportFilters) -> list:
    """Today: enrolments grouped by course and kept furthest lesson."""
    return list(
        enrolment_scope(filters)
        .values_list("course_id", "furthest_lesson_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def progress_subquery(filters: ReportFilters) -> list:
    """Enrolments grouped by course and the lesson of their progress that
    comes last in tree order (a subquery per enrolment)."""
    last = (
        LessonProgress.objects.filter(enrolment=OuterRef("pk"))
        .order_by("-lesson__path")
        .values("lesson_id")[:1]
    )
    return list(
        enrolment_scope(filters)
        .values_list("course_id", Subquery(last))
        .annotate(n=Count("id"))
        .order_by()
    )


def progress_grouped(filters: ReportFilters) -> list:
    """The progress rows in scope grouped by enrolment (furthest lesson path
    per enrolment, counted per course and path in Python), plus the
    enrolments per course."""
    furthest = list(
        LessonProgress.objects.filter(enrolment__in=enrolment_scope(filters))
        .values_list("enrolment__course_id")
        .annotate(path=Max("lesson__path"))
        .values_list("enrolment__course_id", "path")
        .order_by()
    )
    per_course = list(
        enrolment_scope(filters).values_list("course_id").annotate(n=Count("id"))
    )
    return [furthest, per_course]


def progress_grouped_by_enrolment(filters: ReportFilters) -> list:
    """As `progress_grouped`, the group being the enrolment id."""
    furthest = list(
        LessonProgress.objects.filter(enrolment__in=enrolment_scope(filters))
        .values("enrolment_id")
        .annotate(path=Max("lesson__path"))
        .values_list("enrolment__course_id", "path")
        .order_by()
    )
    counts: dict = {}
    for key in furthest:
        counts[key] = counts.get(key, 0) + 1
    per_course = list(
        enrolment_scope(filters).values_list("course_id").annotate(n=Count("id"))
    )
    return [counts, per_course]


def progress_module_case(filters: ReportFilters) -> list:
    """The old raw query's shape in the ORM: each progress row's module
    number from a CASE built from the tree (no page join), the highest per
    enrolment, counted in Python; the enrolment scope joined only when the
    filters narrow it."""
    modules = list(ModulePage.objects.order_by("path").values_list("path", flat=True))
    number = {path: n for n, path in enumerate(modules, 1)}
    by_module: dict = {}
    for pk, path in LessonPage.objects.values_list("pk", "path"):
        if path[:-4] in number:
            by_module.setdefault(number[path[:-4]], []).append(pk)
    module = Case(
        *[When(lesson_id__in=pks, then=Value(n)) for n, pks in by_module.items()],
        output_field=IntegerField(),
    )
    progress = LessonProgress.objects.all()
    if filters.course_id:
        progress = progress.filter(
            lesson_id__in=[pk for pks in by_module.values() for pk in pks]
        )
    if filters.narrows_enrolments:
        progress = progress.filter(enrolment__in=enrolment_scope(filters))
    counts: dict = {}
    for (furthest,) in (
        progress.values("enrolment_id")
        .annotate(m=Max(module))
        .values_list("m")
        .order_by()
    ):
        counts[furthest] = counts.get(furthest, 0) + 1
    per_course = list(
        enrolment_scope(filters).values_list("course_id").annotate(n=Count("id"))
    )
    return [counts, per_course]


def median_ms(function, filters) -> tuple[float, int]:
    function(filters)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        result = function(filters)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), len(result)


def main() -> None:
    course = CoursePage.objects.filter(slug="scale-benchmark-course").first()
    print(
        f"{Enrolment.objects.count()} enrolments, "
        f"{LessonProgress.objects.count()} progress rows; median of {RUNS} runs"
    )
    variants = [
        kept_field,
        progress_grouped_by_enrolment,
        progress_module_case,
    ]
    if os.environ.get("SUBQUERY"):
        variants.append(progress_subquery)
    for label, filters in [
        ("unfiltered", ReportFilters()),
        ("one course", ReportFilters(course_id=course.pk)),
    ]:
        for function in variants:
            ms, _n = median_ms(function, filters)
            print(f"{label:11} {function.__name__:30} {ms:8.1f} ms")


if __name__ == "__main__":
    main()
