"""Cascade reach for the reports: reach by generation and country, trainers
produced, and the multiplier (people reached per trainer produced).

Definitions: a root cohort (no parent) is generation 1; a cohort's
generation is its depth in the cascade tree. People reached in a cohort are
its enrolled learners (not withdrawn) plus recorded session attendees who
are not also enrolled in that cohort (matched by email), so nobody is counted
twice. The cascade reach is the people reached in generations 2 and beyond,
i.e. through trained trainers; trainers produced are the distinct trainers
of those cohorts. Three queries (a recursive CTE), whatever the tree size."""

from __future__ import annotations

from django.db import connection
from django.utils.translation import gettext as _
from django_countries import countries

from accounts.models import User
from enrolment.cascades.models import SessionAttendee, TrainingSession
from enrolment.models import Cohort, Enrolment

from .filters import ReportFilters


def _tables() -> dict[str, str]:
    return {
        "cohort": Cohort._meta.db_table,
        "enrolment": Enrolment._meta.db_table,
        "user": User._meta.db_table,
        "session": TrainingSession._meta.db_table,
        "attendee": SessionAttendee._meta.db_table,
    }


def _tree_sql(filters: ReportFilters) -> tuple[str, list]:
    t = _tables()
    params: list = []
    if filters.cohort_id:
        root_where = "id = %s"
        params.append(filters.cohort_id)
    else:
        root_where = "parent_id IS NULL"
    # Table names come from model _meta; every value is a query parameter.
    sql = f"""
        WITH RECURSIVE tree(id, generation) AS (
            SELECT id, 1 FROM {t["cohort"]} WHERE {root_where}
            UNION ALL
            SELECT c.id, tree.generation + 1
            FROM {t["cohort"]} c JOIN tree ON c.parent_id = tree.id
        )
    """  # noqa: S608
    return sql, params


def _cohort_where(filters: ReportFilters) -> tuple[str, list]:
    clauses, params = ["1 = 1"], []
    if filters.course_id:
        clauses.append("c.course_id = %s")
        params.append(filters.course_id)
    if filters.country:
        clauses.append("c.country = %s")
        params.append(filters.country)
    if filters.institution:
        clauses.append("LOWER(c.institution) = LOWER(%s)")
        params.append(filters.institution)
    return " AND ".join(clauses), params


def cascade_summary(filters: ReportFilters) -> dict:
    t = _tables()
    tree, tree_params = _tree_sql(filters)
    where, where_params = _cohort_where(filters)
    enrol_period, enrol_params = "", []
    session_period, session_params = "", []
    if filters.start:
        enrol_period += " AND e.enrolled_at >= %s"
        enrol_params.append(filters.start)
        session_period += " AND s.held_on >= %s"
        session_params.append(filters.date_from)
    if filters.end:
        enrol_period += " AND e.enrolled_at < %s"
        enrol_params.append(filters.end)
        session_period += " AND s.held_on <= %s"
        session_params.append(filters.date_to)
    learners_sql = f"""{tree}
        SELECT tree.generation, c.country, COUNT(DISTINCT e.user_id)
        FROM tree
        JOIN {t["cohort"]} c ON c.id = tree.id
        JOIN {t["enrolment"]} e ON e.cohort_id = c.id
        WHERE {where} AND e.status <> %s {enrol_period}
        GROUP BY tree.generation, c.country
    """  # noqa: S608
    attendees_sql = f"""{tree}
        SELECT tree.generation, c.country, COUNT(a.id)
        FROM tree
        JOIN {t["cohort"]} c ON c.id = tree.id
        JOIN {t["session"]} s ON s.cohort_id = c.id
        JOIN {t["attendee"]} a ON a.session_id = s.id
        WHERE {where} {session_period}
          AND (a.email = '' OR NOT EXISTS (
                SELECT 1 FROM {t["enrolment"]} e2
                JOIN {t["user"]} u ON u.id = e2.user_id
                WHERE e2.cohort_id = c.id AND LOWER(u.email) = LOWER(a.email)))
        GROUP BY tree.generation, c.country
    """  # noqa: S608
    trainers_sql = f"""{tree}
        SELECT tree.generation, COUNT(DISTINCT c.trainer_id), COUNT(c.id)
        FROM tree JOIN {t["cohort"]} c ON c.id = tree.id
        WHERE {where}
        GROUP BY tree.generation
    """  # noqa: S608
    cells: dict[tuple[int, str], dict] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            learners_sql,
            tree_params + where_params + [Enrolment.Status.WITHDRAWN] + enrol_params,
        )
        for generation, country, n in cursor.fetchall():
            cell = cells.setdefault((generation, country or ""), _cell())
            cell["learners"] += n
        cursor.execute(attendees_sql, tree_params + where_params + session_params)
        for generation, country, n in cursor.fetchall():
            cell = cells.setdefault((generation, country or ""), _cell())
            cell["attendees"] += n
        cursor.execute(trainers_sql, tree_params + where_params)
        trainer_rows = cursor.fetchall()

    generations: dict[int, dict] = {}
    by_country: dict[str, dict] = {}
    for (generation, country), cell in cells.items():
        g = generations.setdefault(generation, _generation_row(generation))
        g["learners"] += cell["learners"]
        g["attendees"] += cell["attendees"]
        if generation >= 2:
            c = by_country.setdefault(country, _country_row(country))
            c["learners"] += cell["learners"]
            c["attendees"] += cell["attendees"]
    for generation, trainers, cohorts in trainer_rows:
        g = generations.setdefault(generation, _generation_row(generation))
        g["trainers"] = trainers
        g["cohorts"] = cohorts
    for row in list(generations.values()) + list(by_country.values()):
        row["reach"] = row["learners"] + row["attendees"]
    by_generation = [generations[k] for k in sorted(generations)]
    reach = sum(row["reach"] for row in by_generation if row["generation"] >= 2)
    trainers = sum(
        row.get("trainers", 0) for row in by_generation if row["generation"] >= 2
    )
    return {
        "by_generation": by_generation,
        "by_country": sorted(by_country.values(), key=lambda r: -r["reach"]),
        "reach": reach,
        "trainers": trainers,
        "multiplier": round(reach / trainers, 1) if trainers else None,
    }


def _cell() -> dict:
    return {"learners": 0, "attendees": 0}


def _generation_row(generation: int) -> dict:
    return {
        "generation": generation,
        "label": _("Generation %(n)s") % {"n": generation},
        "cohorts": 0,
        "trainers": 0,
        "learners": 0,
        "attendees": 0,
    }


def _country_row(code: str) -> dict:
    return {
        "key": code,
        "label": str(countries.name(code)) if code else _("Not stated"),
        "learners": 0,
        "attendees": 0,
    }
