"""The several-hosts drill's seed (bench/drill/seed.py): `make drill` is not
part of `make test`, so this keeps what it loads into its template database
working as the models and services change. It must give the drill's phases
what they use: a live course with certificates on, three lessons and an
image, a trainer's cohort, participants whose completions requested their
certificates, and the load's enrolled accounts; and a second run (the
drill's prepare) must find it all again without making anything twice."""

from __future__ import annotations

import pytest

from bench.drill import seed

pytestmark = pytest.mark.django_db


def test_the_seed_makes_what_the_drill_uses_once(client):
    from certificates.models import Certificate
    from courses.models import CoursePage
    from courses.selectors import course_live_lessons
    from enrolment.models import Cohort, Enrolment

    first = seed.seed(completers=3, readers=2)
    course = CoursePage.objects.live().get(
        slug=seed.COURSE_SLUG, locale__language_code="en"
    )
    assert course.certificate_enabled and course.cover_image is not None
    lessons = list(course_live_lessons(course=course))
    assert len(lessons) == seed.LESSONS
    cohort = Cohort.objects.get(course=course)
    assert cohort.trainer.email == seed.TRAINER_EMAIL
    assert cohort.enrolments.count() == seed.SEEDED
    completed = Enrolment.objects.filter(
        course=course, status=Enrolment.Status.COMPLETED
    )
    assert completed.count() == seed.COMPLETED
    assert (
        Certificate.objects.filter(
            enrolment__in=completed, status=Certificate.Status.PENDING
        ).count()
        == seed.COMPLETED
    )
    for prefix, n in ((seed.COMPLETE_PREFIX, 3), (seed.READ_PREFIX, 2)):
        assert (
            Enrolment.objects.filter(
                course=course,
                status=Enrolment.Status.ACTIVE,
                user__email__startswith=f"{prefix}-",
            ).count()
            == n
        )
    assert client.login(email=seed.SIGN_IN_EMAIL, password=seed.PASSWORD)
    client.logout()

    page = client.get(course.url)
    assert page.status_code == 200
    assert b"<img" in page.content
    lesson = client.get(lessons[0].url)
    assert seed.IMAGE_ALT.encode() in lesson.content or lesson.status_code == 302

    again = seed.seed(completers=3, readers=2)
    assert again["course"] == first["course"]
    assert again["cohort"] == first["cohort"]
    assert CoursePage.objects.filter(slug=seed.COURSE_SLUG, alias_of=None).count() == 1
    assert Enrolment.objects.filter(course=course).count() == seed.SEEDED + 5
    assert Certificate.objects.filter(enrolment__course=course).count() == (
        seed.COMPLETED
    )
