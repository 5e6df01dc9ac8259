"""Report fixtures: programme staff, and a small programme built with the
models (two courses, cohorts in a cascade, enrolments, progress,
certificates, a recorded session)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from tests.conftest import _make_user
from tests.factories import (
    UserFactory,
    course_lessons,
    make_cohort,
    make_course,
    make_enrolment,
)


def at(year, month, day=1):
    return datetime(year, month, day, 12, tzinfo=UTC)


@pytest.fixture
def staff_member(db):
    from django.contrib.auth.models import Group

    user = _make_user("pat@example.org", first_name="Pat", last_name="Staff")
    user.groups.add(Group.objects.get(name="Programme staff"))
    return user


@pytest.fixture
def editor(db):
    """A Wagtail editor (may enter the admin) who is not programme staff."""
    from django.contrib.auth.models import Permission

    user = _make_user("eddie@example.org", first_name="Eddie", last_name="Editor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


class Programme(SimpleNamespace):
    """Handles to what `programme` built, for assertions."""


def build_programme(*, extra_enrolments: int = 0) -> Programme:
    from cascades.models import SessionAttendee, TrainingSession
    from certificates.models import Certificate
    from enrolment.models import Enrolment, LessonProgress
    from enrolment.services.progress import furthest_lesson_refresh

    p = Programme()
    p.integration = make_course(title="Integration", modules=2, lessons_per_module=2)
    p.tot = make_course(title="Train the trainer", kind="train_the_trainer", modules=1)
    p.root = make_cohort(course=p.tot, name="ToT Kampala", country="UG")
    trainer: Any = UserFactory(country="UG")
    p.child = make_cohort(
        course=p.tot, name="Gulu", country="UG", parent=p.root, trainer=trainer
    )
    p.grandchild = make_cohort(
        course=p.tot, name="Lira", country="KE", parent=p.child, trainer=UserFactory()
    )
    # factory_boy types a factory call as the factory: these are users.
    people: list[Any] = [
        UserFactory(country="UG", institution="Ministry", gender="woman"),
        UserFactory(country="UG", institution="ministry", gender="man"),
        UserFactory(country="BR", institution="Itamaraty", gender="woman"),
        UserFactory(country="", institution="", gender="not_stated"),
    ]
    p.people = people
    lessons = course_lessons(p.integration)
    # Integration: 4 enrolments, 2 completed (10 and 30 days), 1 withdrawn.
    e1 = make_enrolment(
        user=people[0],
        course=p.integration,
        enrolled_at=at(2025, 1, 5),
        status=Enrolment.Status.COMPLETED,
        completed_at=at(2025, 1, 15),
    )
    e2 = make_enrolment(
        user=people[1],
        course=p.integration,
        enrolled_at=at(2025, 2, 1),
        status=Enrolment.Status.COMPLETED,
        completed_at=at(2025, 3, 3),
    )
    e3 = make_enrolment(
        user=people[2], course=p.integration, enrolled_at=at(2025, 2, 10)
    )
    make_enrolment(
        user=people[3],
        course=p.integration,
        enrolled_at=at(2025, 4, 1),
        status=Enrolment.Status.WITHDRAWN,
    )
    for enrolment in (e1, e2):
        for lesson in lessons:
            LessonProgress.objects.create(
                enrolment=enrolment, lesson=lesson, completed_at=enrolment.completed_at
            )
    LessonProgress.objects.create(
        enrolment=e3, lesson=lessons[0], completed_at=at(2025, 2, 11)
    )
    # Progress written directly, as bulk loaders do: they refresh after.
    furthest_lesson_refresh()
    p.lessons = lessons
    # ToT cascade: 1 in the root cohort, 2 in the child, 1 in the grandchild.
    make_enrolment(
        user=trainer, course=p.tot, cohort=p.root, enrolled_at=at(2025, 1, 2)
    )
    make_enrolment(
        user=people[0], course=p.tot, cohort=p.child, enrolled_at=at(2025, 5, 2)
    )
    make_enrolment(
        user=people[1], course=p.tot, cohort=p.child, enrolled_at=at(2025, 5, 3)
    )
    make_enrolment(
        user=people[2], course=p.tot, cohort=p.grandchild, enrolled_at=at(2025, 6, 3)
    )
    session = TrainingSession.objects.create(
        cohort=p.child, held_on=at(2025, 5, 20).date(), place="Gulu", duration_hours=3
    )
    # One attendee is also enrolled in the cohort (not counted twice), two are new.
    SessionAttendee.objects.create(
        session=session, name="A", email=people[0].email.upper()
    )
    SessionAttendee.objects.create(session=session, name="B", email="b@example.org")
    SessionAttendee.objects.create(session=session, name="C", email="")
    # Certificates: 2 issued, 1 pending, 1 revoked.
    Certificate.objects.create(
        enrolment=e1,
        user=people[0],
        code="C1",
        status="issued",
        issued_at=at(2025, 1, 16),
    )
    Certificate.objects.create(
        enrolment=e2,
        user=people[1],
        code="C2",
        status="issued",
        issued_at=at(2025, 3, 4),
    )
    Certificate.objects.create(
        enrolment=e3, user=people[2], code="C3", status="pending"
    )
    tot_enrolment = Enrolment.objects.get(user=trainer, course=p.tot)
    Certificate.objects.create(
        enrolment=tot_enrolment,
        user=trainer,
        code="C4",
        status="revoked",
        issued_at=at(2025, 1, 20),
        revoked_at=at(2025, 2, 20),
    )
    for n in range(extra_enrolments):
        make_enrolment(
            user=UserFactory(country="CM"),
            course=p.integration,
            cohort=p.grandchild if n % 2 else None,
            enrolled_at=at(2025, 1 + n % 12, 1 + n % 27),
        )
    return p


@pytest.fixture
def programme(db, site):
    return build_programme()
