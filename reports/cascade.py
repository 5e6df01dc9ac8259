"""Cascade reach for the reports, from the cascades app's own selector
(`cascades.selectors.cascade_reach_by_course`), so that the report,
the trainer dashboard and the impact page count people the same way: a person
once per cascade, enrolled learners plus recorded attendees plus anonymous
session headcounts; trainers produced are the qualifications earned in the
cascade; the multiplier is people reached per trainer produced.

That selector covers whole cascades: the course filter picks cascades, the
country filter narrows the by-country table; the other filters do not apply
(the page says so). Five queries, whatever the tree size: the cohorts, their
sessions, their people, their trainers (grouped through the ORM from the
tree that `enrolment.Cohort` stores, docs/cascades.md), the course titles."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django_countries import countries

from cascades.picture import cascade_picture
from cascades.selectors import (
    Figures,
    ReachOverTime,
    cascade_reach_by_course,
    cascade_tree,
    programme_reach_over_time,
)

from .filters import ReportFilters

# Cohorts drawn in the programme-wide picture; the tables count them all.
PICTURE_COHORTS = 300


def _row(figures: Figures, **extra) -> dict:
    return {
        **extra,
        "cohorts": figures.cohorts,
        "sessions": figures.sessions,
        "people": figures.people,
        "anonymous": figures.anonymous,
        "trainers": figures.trainers,
        "reach": figures.reached,
        "multiplier": figures.multiplier,
    }


def cascade_picture_for(summary: dict, *, course_id: int | None, names: bool):
    """The picture of the cascades in `summary` (of the course, or all),
    its discs and columns counted as the summary counts them. One query
    (the tree, its first `PICTURE_COHORTS` cohorts)."""
    roots, truncated = cascade_tree(course_id=course_id, limit=PICTURE_COHORTS)
    return cascade_picture(
        roots=roots,
        cohort_reach=summary.get("by_cohort", {}),
        generation_reach={
            r["generation"]: r["reach"] for r in summary["by_generation"]
        },
        names=names,
        truncated=truncated,
    )


def cascade_over_time(filters: ReportFilters) -> ReachOverTime:
    """People reached per month and generation, in the cascades the course
    filter picks (cascades.selectors.over_time); four queries."""
    return programme_reach_over_time(course_id=filters.course_id)


def cascade_summary(filters: ReportFilters) -> dict:
    cascades = cascade_reach_by_course()
    if filters.course_id:
        cascades = [c for c in cascades if c.course_id == filters.course_id]
    total = Figures()
    generations: dict[int, Figures] = {}
    by_country: dict[str, Figures] = {}
    by_cohort: dict[int, Figures] = {}
    for cascade in cascades:
        total.add(cascade.reach.total)
        by_cohort.update(cascade.reach.by_cohort)
        for generation, figures in cascade.reach.by_generation.items():
            generations.setdefault(generation, Figures()).add(figures)
        for code, figures in cascade.reach.by_country.items():
            by_country.setdefault(code, Figures()).add(figures)
    if filters.country:
        by_country = {k: v for k, v in by_country.items() if k == filters.country}
    ignored = [
        label
        for label, value in (
            (_("cohort"), filters.cohort_id),
            (_("institution"), filters.institution),
            (_("period"), filters.date_from or filters.date_to),
        )
        if value
    ]
    return {
        "by_generation": [
            _row(f, generation=g, label=_("Generation %(n)s") % {"n": g})
            for g, f in sorted(generations.items())
        ],
        "by_country": sorted(
            (
                _row(
                    f,
                    key=code,
                    label=str(countries.name(code)) if code else _("Not stated"),
                )
                for code, f in by_country.items()
            ),
            key=lambda r: -r["reach"],
        ),
        "by_course": [
            _row(c.reach.total, key=c.course_id, label=c.course_title) for c in cascades
        ],
        "reach": total.reached,
        "trainers": total.trainers,
        "multiplier": total.multiplier,
        "cohorts": total.cohorts,
        # For the picture (cascades/picture.py): figures per cohort.
        "by_cohort": by_cohort,
        "ignored_filters": ignored,
    }
