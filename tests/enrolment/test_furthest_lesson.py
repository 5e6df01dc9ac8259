"""Enrolment.furthest_lesson: the lesson with progress that comes last in the
course's tree order, which the module drop-off report groups by."""

import importlib
import io

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connection

from courses.models import LessonPage, ModulePage
from enrolment import services
from enrolment.models import Enrolment, LessonProgress
from enrolment.services.progress import furthest_lesson_refresh
from tests.factories import UserFactory, make_enrolment


def expected_furthest(enrolment_id: int) -> int | None:
    """Worked out from the progress rows and the tree, in Python."""
    lessons = list(
        LessonPage.objects.filter(progress__enrolment_id=enrolment_id).order_by("path")
    )
    return lessons[-1].pk if lessons else None


@pytest.fixture
def enrolment(participant, course):
    return make_enrolment(user=participant, course=course)


def furthest_of(enrolment) -> int | None:
    enrolment.refresh_from_db()
    return enrolment.furthest_lesson_id


def test_lesson_complete_moves_the_furthest_lesson_forward_only(enrolment, lessons):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[2])
    assert furthest_of(enrolment) == lessons[2].pk
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    assert furthest_of(enrolment) == lessons[2].pk
    services.lesson_complete(enrolment=enrolment, lesson=lessons[2])  # again
    assert furthest_of(enrolment) == lessons[2].pk
    services.lesson_complete(enrolment=enrolment, lesson=lessons[3])
    assert furthest_of(enrolment) == lessons[3].pk


def test_moving_a_module_first_refreshes_the_furthest_lesson(
    enrolment, course, lessons, django_capture_on_commit_callbacks
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])  # module 1
    services.lesson_complete(enrolment=enrolment, lesson=lessons[2])  # module 2
    first, second = ModulePage.objects.child_of(course).order_by("path")
    with django_capture_on_commit_callbacks(execute=True):
        second.move(first, pos="left")
    assert furthest_of(enrolment) == lessons[0].pk == expected_furthest(enrolment.pk)


def test_moving_a_lesson_to_the_last_module_refreshes_the_furthest_lesson(
    enrolment, course, lessons, django_capture_on_commit_callbacks
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    services.lesson_complete(enrolment=enrolment, lesson=lessons[2])
    last_module = ModulePage.objects.child_of(course).order_by("path").last()
    with django_capture_on_commit_callbacks(execute=True):
        lessons[0].move(last_module, pos="last-child")
    assert furthest_of(enrolment) == lessons[0].pk == expected_furthest(enrolment.pk)


def test_deleting_the_furthest_lesson_falls_back_to_the_one_before(
    enrolment, lessons, django_capture_on_commit_callbacks
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    services.lesson_complete(enrolment=enrolment, lesson=lessons[3])
    with django_capture_on_commit_callbacks(execute=True):
        lessons[3].delete()
    assert furthest_of(enrolment) == lessons[0].pk


def test_deleting_the_last_module_falls_back_to_the_module_before(
    enrolment, course, lessons, django_capture_on_commit_callbacks
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[1])
    services.lesson_complete(enrolment=enrolment, lesson=lessons[2])
    with django_capture_on_commit_callbacks(execute=True):
        ModulePage.objects.child_of(course).order_by("path").last().delete()
    assert furthest_of(enrolment) == lessons[1].pk


def test_deleting_every_lesson_done_leaves_no_furthest_lesson(
    enrolment, lessons, django_capture_on_commit_callbacks
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons[3])
    with django_capture_on_commit_callbacks(execute=True):
        lessons[3].delete()
    assert furthest_of(enrolment) is None


def test_refresh_fills_progress_written_in_bulk(course, lessons):
    enrolments = [make_enrolment(user=UserFactory(), course=course) for _ in range(3)]
    done = {0: [lessons[1], lessons[0]], 1: [lessons[3]], 2: []}
    LessonProgress.objects.bulk_create(
        LessonProgress(enrolment=enrolments[i], lesson=lesson)
        for i, some in done.items()
        for lesson in some
    )
    assert furthest_lesson_refresh(course_ids=[course.pk], batch_size=2) == 2
    assert [furthest_of(e) for e in enrolments] == [
        expected_furthest(e.pk) for e in enrolments
    ]
    assert [furthest_of(e) for e in enrolments] == [lessons[1].pk, lessons[3].pk, None]
    assert furthest_lesson_refresh(course_ids=[course.pk]) == 0  # nothing changed


def test_the_migration_fills_existing_enrolments(course, lessons):
    migration = importlib.import_module(
        "enrolment.migrations.0002_enrolment_furthest_lesson"
    )
    enrolments = [make_enrolment(user=UserFactory(), course=course) for _ in range(3)]
    for enrolment, some in zip(
        enrolments, [[lessons[0], lessons[2]], [lessons[1]], []], strict=True
    ):
        for lesson in some:
            LessonProgress.objects.create(enrolment=enrolment, lesson=lesson)
    Enrolment.objects.update(furthest_lesson=None)

    class Editor:  # what RunPython hands the function
        pass

    editor = Editor()
    editor.connection = connection
    migration.fill(django_apps, editor)
    assert [furthest_of(e) for e in enrolments] == [lessons[2].pk, lessons[1].pk, None]


def test_generate_scale_data_fills_the_furthest_lesson(site):
    call_command(
        "generate_scale_data",
        *["--participants", "12", "--cohorts", "3", "--progress", "30"],
        *["--modules", "2", "--lessons-per-module", "3"],
        stdout=io.StringIO(),
    )
    with_progress = Enrolment.objects.filter(progress__isnull=False).distinct()
    assert with_progress.count() > 1
    for enrolment in Enrolment.objects.all():
        assert enrolment.furthest_lesson_id == expected_furthest(enrolment.pk)


def test_the_cascade_demo_fills_the_furthest_lesson(site):
    from demo import cascades as demo
    from tests.factories import make_course

    for title, slug, kind in [
        ("ToT", demo.TOT_SLUG, "train_the_trainer"),
        ("Workshop", demo.WORKSHOP_SLUG, "self_paced"),
    ]:
        make_course(title=title, slug=slug, kind=kind, modules=2, lessons_per_module=2)
    demo.load(stdout=io.StringIO(), debug=False)
    assert LessonProgress.objects.exists()
    for enrolment in Enrolment.objects.all():
        assert enrolment.furthest_lesson_id == expected_furthest(enrolment.pk)
