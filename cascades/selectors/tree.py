"""The cohorts of a cascade as nested nodes, for the tree picture: one query
for the cohorts in scope (with their counts), nested here by `parent`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from enrolment.models import Cohort, Enrolment

from .reach import trainer_cascade_cohorts
from .workspace import session_headcount


@dataclass
class TreeNode:
    cohort: Cohort
    generation: int
    own: bool
    children: list[TreeNode] = field(default_factory=list)


def cascade_tree(
    *, trainer=None, course_id: int | None = None, limit: int = 1000
) -> tuple[list[TreeNode], bool]:
    """The cohorts of a cascade as nested nodes with their counts, for the
    picture: a trainer's cascade, or every cascade whose root cohorts are of
    a course (or every cascade). The first `limit` cohorts by generation;
    returns (roots, truncated). One query (two for a trainer: their paths)."""
    if trainer is not None:
        scope = trainer_cascade_cohorts(user=trainer)
    elif course_id is not None:
        scope = Cohort.objects.filter(root__course_id=course_id)
    else:
        scope = Cohort.objects.filter(root__isnull=False)
    active = ~Q(enrolments__status=Enrolment.Status.WITHDRAWN)
    cohorts = list(
        scope.select_related("course")
        .annotate(
            participants=Count("enrolments", filter=active, distinct=True),
            session_count=Count("sessions", distinct=True),
            session_headcount=session_headcount(),
        )
        .order_by("generation", "id")[: limit + 1]
    )
    truncated = len(cohorts) > limit
    cohorts = cohorts[:limit]
    cohorts.sort(key=lambda c: (c.starts_on or datetime.date.min, c.pk))
    nodes = {
        c.pk: TreeNode(
            cohort=c,
            generation=c.generation,
            own=trainer is not None and c.trainer_id == trainer.pk,
        )
        for c in cohorts
    }
    roots = []
    for node in nodes.values():
        parent_id = node.cohort.parent_id
        parent = nodes.get(parent_id) if parent_id is not None else None
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
    return roots, truncated
