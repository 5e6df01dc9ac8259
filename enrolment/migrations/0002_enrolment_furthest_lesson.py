"""Enrolment.furthest_lesson: the lesson with progress that comes last in the
course's tree order (for the module drop-off report), filled for existing
enrolments in batches of enrolment ids."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 20_000

# One statement per batch: each enrolment's progress rows, the lesson with the
# greatest page path (tree order) kept.
FILL_POSTGRESQL = """
UPDATE enrolment_enrolment e SET furthest_lesson_id = f.lesson_id
FROM (
    SELECT DISTINCT ON (p.enrolment_id) p.enrolment_id, p.lesson_id
    FROM enrolment_lessonprogress p JOIN wagtailcore_page pg ON pg.id = p.lesson_id
    WHERE p.enrolment_id >= %s AND p.enrolment_id < %s
    ORDER BY p.enrolment_id, pg.path DESC
) f
WHERE e.id = f.enrolment_id
"""
FILL_OTHER = """
UPDATE enrolment_enrolment SET furthest_lesson_id = (
    SELECT p.lesson_id
    FROM enrolment_lessonprogress p JOIN wagtailcore_page pg ON pg.id = p.lesson_id
    WHERE p.enrolment_id = enrolment_enrolment.id
    ORDER BY pg.path DESC LIMIT 1
)
WHERE id >= %s AND id < %s
"""


def fill(apps, schema_editor):
    connection = schema_editor.connection
    sql = FILL_POSTGRESQL if connection.vendor == "postgresql" else FILL_OTHER
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM enrolment_enrolment")
        low, high = cursor.fetchone()
        if low is None:
            return
        for start in range(low, high + 1, BATCH):
            cursor.execute(sql, [start, start + BATCH])


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
