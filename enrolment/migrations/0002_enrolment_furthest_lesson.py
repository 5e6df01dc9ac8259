"""Enrolment.furthest_lesson: the lesson with progress that comes last in the
course's tree order (for the module drop-off report), filled for existing
enrolments in batches of enrolment ids."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max, Min, OuterRef, Subquery

BATCH = 20_000


def fill(apps, schema_editor):
    """Per batch of enrolment ids, one UPDATE: each enrolment's progress rows,
    the lesson with the greatest page path (tree order) kept."""
    enrolments = apps.get_model("enrolment", "Enrolment").objects
    progress = apps.get_model("enrolment", "LessonProgress").objects
    furthest = Subquery(
        progress.filter(enrolment=OuterRef("pk"))
        .order_by("-lesson__path")
        .values("lesson_id")[:1]
    )
    span = enrolments.aggregate(low=Min("id"), high=Max("id"))
    if span["low"] is None:
        return
    for start in range(span["low"], span["high"] + 1, BATCH):
        enrolments.filter(id__gte=start, id__lt=start + BATCH).update(
            furthest_lesson_id=furthest
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_coursetag_parentalkey"),
        ("enrolment", "0001_initial"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="furthest_lesson",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="courses.lessonpage",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
