"""Each page that `make bench` loads runs a fixed number of SQL queries, the
same with 2 as with 20 lessons, enrolments, courses and cohorts. A change in
a count is a deliberate decision: update EXPECTED (and bench/README.md)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    UserFactory,
    course_lessons,
    make_cohort,
    make_course,
    make_enrolment,
)

REPORT_URL = "/admin/programme-reports/enrolments/"

EXPECTED = {
    "catalogue (anonymous, page cache off)": 5,
    "catalogue (anonymous, from the page cache)": 0,
    "course (anonymous, page cache off)": 5,
    "lesson (participant)": 5,
    "mark as done (participant, POST)": 15,
    "dashboard (participant)": 5,
    "trainer (trainer)": 2,
    "enrolment report (admin)": 10,
}


def build(size: int, *, participant, trainer):
    """A course of `size` lessons, `size` courses the participant is enrolled
    in, `size` cohorts under the trainer's and `size` other enrolments."""
    modules, per_module = (1, 2) if size == 2 else (4, 5)
    course = make_course(
        title="Budget course", modules=modules, lessons_per_module=per_module
    )
    lessons = course_lessons(course)
    assert len(lessons) == size
    enrolment = make_enrolment(user=participant, course=course)
    from enrolment.models import LessonProgress

    for lesson in lessons[:-2]:
        LessonProgress.objects.create(
            enrolment=enrolment, lesson=lesson, completed_at=timezone.now()
        )
    for n in range(size - 1):
        other = make_course(title=f"Other course {n}", modules=1, lessons_per_module=1)
        make_enrolment(user=participant, course=other)
    root = make_cohort(course=course, name="Root cohort", trainer=trainer)
    parent = root
    for n in range(size - 1):
        parent = make_cohort(
            course=course, name=f"Cohort {n}", trainer=UserFactory(), parent=parent
        )
    for n in range(size):
        make_enrolment(user=UserFactory(), course=course, cohort=parent if n else root)
    return course, lessons


def count(client, method: str, url: str, expect=(200,)) -> int:
    call = client.post if method == "POST" else client.get
    with CaptureQueriesContext(connection) as queries:
        response = call(url)
    assert response.status_code in expect, (url, response.status_code)
    return len(queries)


def measure(client, settings, *, course, lessons, participant, trainer, admin):
    from relais import page_cache

    found = {}
    client.logout()
    settings.RELAIS_PAGE_CACHE_SECONDS = 0
    # Warm, as under load: Wagtail's site-root cache and each page's route
    # (relais.page_routes; the first view after a page changes walks the tree).
    client.get("/en/courses/")
    client.get(course.url)
    found["catalogue (anonymous, page cache off)"] = count(
        client, "GET", "/en/courses/"
    )
    found["course (anonymous, page cache off)"] = count(client, "GET", course.url)
    settings.RELAIS_PAGE_CACHE_SECONDS = 300
    page_cache.invalidate_all()
    client.get("/en/courses/")
    found["catalogue (anonymous, from the page cache)"] = count(
        client, "GET", "/en/courses/"
    )

    client.force_login(participant)
    client.get(lessons[0].url)
    found["lesson (participant)"] = count(client, "GET", lessons[0].url)
    done = reverse("lesson_done", kwargs={"lesson_id": lessons[-2].pk})
    found["mark as done (participant, POST)"] = count(
        client, "POST", done, expect=(200, 302, 303)
    )
    client.get(reverse("dashboard"))  # warm: the other courses' outlines
    found["dashboard (participant)"] = count(client, "GET", reverse("dashboard"))

    client.force_login(trainer)
    # Warm, as under load: the first view after a change to the cascade runs
    # 6 more (the cohort table and reach are cached until the enrolments or
    # cascades group changes; tests/cascades asserts that count on two sizes).
    client.get(reverse("trainer_home"))
    found["trainer (trainer)"] = count(client, "GET", reverse("trainer_home"))

    client.force_login(admin)
    client.get(REPORT_URL)
    found["enrolment report (admin)"] = count(client, "GET", REPORT_URL)
    return found


@pytest.mark.parametrize("size", [2, 20])
def test_bench_pages_run_a_fixed_number_of_queries(
    size, client, settings, site, participant, trainer, admin_user
):
    course, lessons = build(size, participant=participant, trainer=trainer)
    found = measure(
        client,
        settings,
        course=course,
        lessons=lessons,
        participant=participant,
        trainer=trainer,
        admin=admin_user,
    )
    assert found == EXPECTED
