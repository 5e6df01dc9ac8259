"""Each page that `make bench` loads runs a fixed number of SQL queries and
Redis round trips, the same with 2 as with 20 lessons, enrolments, courses
and cohorts, within a budget. A budget is a deliberate decision: change
BUDGET (and bench/README.md, docs/performance.md) when a page needs more."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import require_services
from tests.factories import (
    UserFactory,
    course_lessons,
    make_cohort,
    make_course,
    make_enrolment,
)
from tests.redis_round_trips import count_round_trips, counting_caches

REPORT_URL = "/admin/programme-reports/enrolments/"

# SQL queries per page, warm (as under load). Wagtail pages carry one more
# since issue 17: the page's live translations, for its hreflang links.
BUDGET = {
    "catalogue (anonymous, page cache off)": 14,
    "catalogue (anonymous, from the page cache)": 0,
    "course (anonymous, page cache off)": 15,
    "lesson (participant)": 14,
    "mark as done (participant, POST)": 15,
    "dashboard (participant)": 7,
    "trainer (trainer)": 3,
    "enrolment report (admin)": 10,
}

# Redis round trips per page, warm. A signed-in page: its session, the
# course outline with the page cache's generation, Wagtail's site root paths.
REDIS_BUDGET = {
    "catalogue (anonymous, page cache off)": 1,
    "catalogue (anonymous, from the page cache)": 1,
    "course (anonymous, page cache off)": 2,
    "lesson (participant)": 3,
    "mark as done (participant, POST)": 3,
    "dashboard (participant)": 3,
    "trainer (trainer)": 3,
    # Its session, then two per cached table or chart (the groups' versions,
    # then the figure: relais.caching).
    "enrolment report (admin)": 7,
}


def build(size: int, *, participant, trainer):
    """A course of `size` lessons, `size` courses the participant is enrolled
    in, `size` cohorts under the trainer's and `size` other enrolments."""
    modules, per_module = (1, 2) if size == 2 else (4, 5)
    course = make_course(
        title=f"Budget course {size}", modules=modules, lessons_per_module=per_module
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
        other = make_course(
            title=f"Other course {size}-{n}", modules=1, lessons_per_module=1
        )
        make_enrolment(user=participant, course=other)
    root = make_cohort(course=course, name=f"Root cohort {size}", trainer=trainer)
    parent = root
    for n in range(size - 1):
        parent = make_cohort(
            course=course,
            name=f"Cohort {size}-{n}",
            trainer=UserFactory(),
            parent=parent,
        )
    for n in range(size):
        make_enrolment(user=UserFactory(), course=course, cohort=parent if n else root)
    return course, lessons


def count(client, method: str, url: str, expect=(200,)) -> tuple[int, int]:
    """(SQL queries, Redis round trips) of one request."""
    call = client.post if method == "POST" else client.get
    with CaptureQueriesContext(connection) as queries, count_round_trips() as trips:
        response = call(url)
    assert response.status_code in expect, (url, response.status_code)
    return len(queries), trips.count


def measure(client, settings, *, course, lessons, participant, trainer, admin):
    from relais import page_cache

    found = {}
    client.logout()
    settings.RELAIS_PAGE_CACHE_SECONDS = 0
    # Warm, as under load: Wagtail's site-root paths and the course outlines.
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


def measure_both_sizes(client, settings, *, participant, trainer, admin):
    found = {}
    people = {2: (participant, trainer), 20: (UserFactory(), UserFactory())}
    for size, (reader, teacher) in people.items():
        course, lessons = build(size, participant=reader, trainer=teacher)
        found[size] = measure(
            client,
            settings,
            course=course,
            lessons=lessons,
            participant=reader,
            trainer=teacher,
            admin=admin,
        )
    return found[2], found[20]


def test_bench_pages_run_a_fixed_number_of_queries_within_budget(
    client, settings, site, participant, trainer, admin_user
):
    small, large = measure_both_sizes(
        client, settings, participant=participant, trainer=trainer, admin=admin_user
    )
    queries = {page: figures[0] for page, figures in small.items()}
    assert {page: figures[0] for page, figures in large.items()} == queries
    over = {page: n for page, n in queries.items() if n > BUDGET[page]}
    assert not over, (over, BUDGET)


def test_bench_pages_make_a_fixed_number_of_redis_round_trips_within_budget(
    client, settings, site, participant, trainer, admin_user
):
    require_services(redis=True)
    settings.CACHES = counting_caches(settings.CACHES)
    small, large = measure_both_sizes(
        client, settings, participant=participant, trainer=trainer, admin=admin_user
    )
    trips = {page: small[page][1] for page in REDIS_BUDGET}
    assert {page: large[page][1] for page in REDIS_BUDGET} == trips
    over = {page: n for page, n in trips.items() if n > REDIS_BUDGET[page]}
    assert not over, (over, REDIS_BUDGET)
