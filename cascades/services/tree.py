"""Where each cohort sits in its cascade: `generation`, `root` and `path` on
`enrolment.Cohort` (docs/cascades.md). Written when a cohort is opened or
moved, and rebuilt after bulk writes that bypass the services (demo and
scale data, benchmarks). All plain ORM updates, the same on every database."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat, Substr
from django.utils.translation import gettext as _

from enrolment.models import Cohort
from relais.caching import changed


def cohort_place(*, cohort: Cohort) -> Cohort:
    """Give a cohort without children its place under its parent (or as a
    root). For a new cohort, right after it is created."""
    parent = (
        Cohort.objects.only("generation", "root_id", "path")
        .filter(pk=cohort.parent_id)
        .first()
        if cohort.parent_id is not None
        else None
    )
    if parent is None:
        cohort.generation, cohort.root_id, cohort.path = 1, cohort.pk, ""
    else:
        cohort.generation = parent.generation + 1
        cohort.root_id = parent.root_id
        cohort.path = parent.path
    cohort.path += f"{cohort.pk}/"
    Cohort.objects.filter(pk=cohort.pk).update(
        generation=cohort.generation, root_id=cohort.root_id, path=cohort.path
    )
    changed("cascades")
    return cohort


@transaction.atomic
def cohort_set_parent(*, cohort: Cohort, parent: Cohort | None, actor) -> Cohort:
    """Correct where a cohort hangs in the cascade; its whole subtree moves
    with it (one UPDATE: every path below starts with the cohort's). Refuses
    a parent that is the cohort itself or one of its descendants (that would
    make a cycle)."""
    moving = Cohort.objects.select_for_update().get(pk=cohort.pk)
    if parent is not None:
        parent = Cohort.objects.get(pk=parent.pk)
        if parent.path.startswith(moving.path):
            raise ValidationError(
                {
                    "parent": _(
                        "“%(parent)s” descends from “%(cohort)s”: it cannot be its "
                        "parent, that would make a loop in the cascade."
                    )
                    % {"parent": parent.name, "cohort": moving.name}
                }
            )
    root_id: int | None
    if parent is None:
        generation, root_id, prefix = 1, moving.pk, ""
    else:
        generation, root_id, prefix = (
            parent.generation + 1,
            parent.root_id,
            parent.path,
        )
    new_path = f"{prefix}{moving.pk}/"
    Cohort.objects.filter(pk=moving.pk).update(parent=parent)
    if not moving.path:  # never placed (a bulk write): every prefix would match
        cascade_tree_rebuild()
        cohort.parent = parent
        return cohort
    Cohort.objects.filter(path__startswith=moving.path).update(
        generation=F("generation") + (generation - moving.generation),
        root_id=root_id,
        path=Concat(Value(new_path), Substr("path", len(moving.path) + 1)),
    )
    changed("cascades")
    cohort.parent = parent
    cohort.generation, cohort.root_id, cohort.path = generation, root_id, new_path
    return cohort


@transaction.atomic
def cascade_tree_rebuild() -> int:
    """Place every cohort again from its parent: roots first, then one UPDATE
    per generation. For bulk writes that set `parent` without the services.
    Returns the number of generations."""
    Cohort.objects.update(path="")
    Cohort.objects.filter(parent__isnull=True).update(
        generation=1, root=F("pk"), path=Concat(Cast("pk", CharField()), Value("/"))
    )
    parent = Cohort.objects.filter(pk=OuterRef("parent_id"))
    generations = 1
    while (
        Cohort.objects.filter(path="", parent__isnull=False)
        .exclude(parent__path="")
        .update(
            generation=Subquery(parent.values("generation")) + 1,
            root=Subquery(parent.values("root")),
            path=Concat(
                Subquery(parent.values("path")), Cast("pk", CharField()), Value("/")
            ),
        )
    ):
        generations += 1
    changed("cascades")
    return generations


def cohort_saved_in_admin(*, cohort: Cohort, created: bool, **kwargs) -> Cohort:
    """Receiver of enrolment.hooks.cohort_saved (the Wagtail cohort form sets
    `parent` itself): place a new cohort, or move an edited one with its
    subtree (which also refuses a loop)."""
    if created:
        return cohort_place(cohort=cohort)
    return cohort_set_parent(cohort=cohort, parent=cohort.parent, actor=None)
