"""The Django side of `make bench`, run by run.py in its own process with the
production settings and the bench database:

1. seeds the scale data once (`generate_scale_data`), reusing it later;
2. picks who the load users are (participants, trainers, an admin), gives them
   a known password and a signed-in session each;
3. finds each scenario's URLs;
4. counts the SQL queries of each scenario once, in-process, with Django's
   test client and CaptureQueriesContext against the same database;
5. writes the plan (JSON) that the load generator follows.

Usage: python bench/prepare.py PLAN.json
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT), str(ROOT / "bench")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import URLPattern, URLResolver, get_resolver  # noqa: E402
from scenarios import LEVELS, SCENARIOS  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-relais-password")
HOST = "127.0.0.1"
POOL = max(LEVELS)  # one signed-in account per concurrent user
SCALE_ENROLMENTS = int(os.environ.get("BENCH_SCALE_ENROLMENTS", "100000"))
ADMIN_EMAIL = "bench-admin@relais.local"


def log(message: str) -> None:
    print(f"[prepare] {message}", flush=True)


# --- 1. scale data ----------------------------------------------------------


def seed_scale_data() -> dict:
    from enrolment.models import Enrolment

    existing = Enrolment.objects.count()
    if existing >= SCALE_ENROLMENTS:
        log(f"scale data present ({existing} enrolments): reused")
        return {"seeded": False, "enrolments": existing}
    if "generate_scale_data" not in get_commands():
        log("generate_scale_data is not available yet: running on the demo data")
        return {"seeded": False, "enrolments": existing, "missing_command": True}
    log(f"{existing} enrolments: seeding scale data (generate_scale_data)")
    started = time.monotonic()
    call_command("generate_scale_data")
    seconds = round(time.monotonic() - started, 1)
    total = Enrolment.objects.count()
    log(f"seeded in {seconds}s: {total} enrolments")
    return {"seeded": True, "seconds": seconds, "enrolments": total}


def vacuum_analyze() -> None:
    """Statistics and visibility maps as a production server keeps them with
    autovacuum (which may be off on a test machine): the bench measures the
    pages, not a database that was never vacuumed. About a second."""
    from django.db import connection

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"VACUUM ANALYZE in {time.monotonic() - started:.1f}s")


def data_sizes() -> dict:
    from accounts.models import User
    from enrolment.models import Cohort, Enrolment, LessonProgress

    return {
        "users": User.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "progress_rows": LessonProgress.objects.count(),
        "cohorts": Cohort.objects.count(),
    }


# --- 2. people --------------------------------------------------------------


def path_of(page) -> str:
    url = page.get_url()
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def busiest_course():
    """The live course with lessons that has the most active enrolments."""
    from courses.models import CoursePage, LessonPage
    from enrolment.models import Enrolment

    counts = (
        Enrolment.objects.filter(status=Enrolment.Status.ACTIVE)
        .values("course")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    for row in counts[:20]:
        course = CoursePage.objects.live().filter(pk=row["course"]).first()
        if course and LessonPage.objects.descendant_of(course).live().exists():
            return course, row["n"]
    course = CoursePage.objects.live().filter(locale__language_code="en").first()
    return course, 0


def lessons_of(course) -> list:
    from courses.models import LessonPage

    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


def with_password(users: list) -> list:
    """Give the accounts the bench password (hashed once) and return them
    fresh from the database, so their sessions carry the new password hash."""
    from accounts.models import User

    ids = [u.pk for u in users]
    User.objects.filter(pk__in=ids).update(
        password=make_password(PASSWORD), is_active=True
    )
    fresh = User.objects.in_bulk(ids)
    return [fresh[pk] for pk in ids]


def session_for(user) -> dict:
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    return {
        settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value
    }


def ensure_admin():
    from demo.accounts import ensure_verified_user

    return ensure_verified_user(
        email=ADMIN_EMAIL,
        password=PASSWORD,
        first_name="Bench",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )


# --- 3. URLs ----------------------------------------------------------------


def url_patterns(resolver=None, prefix: str = ""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def report_path() -> str | None:
    """The admin enrolment report: the first parameterless admin URL under
    reports/ that mentions enrolments (the reports app registers it)."""
    override = os.environ.get("BENCH_REPORT_PATH")
    if override:
        return override
    candidates = []
    for pattern, _entry in url_patterns():
        text = pattern.lstrip("^").replace("\\Z", "").replace("$", "")
        if text.startswith("admin/") and "reports/" in text and "<" not in text:
            if "(" in text or "export" in text:
                continue
            candidates.append("/" + text)
    enrolment = [c for c in candidates if "enrol" in c]
    chosen = (enrolment or candidates or [None])[0]
    return chosen


def mark_done_path(lesson) -> str:
    return f"/en/lessons/{lesson.pk}/done/"


# --- 4. queries ---------------------------------------------------------------


def measure(client: Client, method: str, path: str) -> tuple[int, int]:
    call = client.post if method == "POST" else client.get
    with CaptureQueriesContext(connection) as queries:
        response = call(path)
    return response.status_code, len(queries)


def plan_scenarios(people: dict) -> list[dict]:
    from relais import page_cache

    course = people["course"]
    lessons = people["lessons"]
    anonymous = Client(HTTP_HOST=HOST)
    out = []
    for scenario in SCENARIOS:
        entry = {
            "name": scenario.name,
            "title": scenario.title,
            "what": scenario.what,
            "method": scenario.method,
            "target_ratio": scenario.target_ratio,
            "signed_in": scenario.signed_in,
            "users": [],
            "ready": False,
            "reason": "",
            "queries": None,
            "queries_uncached": None,
        }
        out.append(entry)
        try:
            fill_scenario(entry, scenario, people, course, lessons, anonymous)
        except Exception as exc:  # a page that has not landed yet
            entry["reason"] = f"{type(exc).__name__}: {exc}"[:300]
        if not entry["ready"]:
            log(f"{scenario.name}: PENDING ({entry['reason']})")
        else:
            log(
                f"{scenario.name}: {entry['users'][0]['paths'][0]} "
                f"queries={entry['queries']}"
                + (
                    f" (uncached {entry['queries_uncached']})"
                    if entry["queries_uncached"] is not None
                    else ""
                )
            )
    page_cache.invalidate_all()
    return out


def anonymous_page(entry, path: str, anonymous: Client) -> None:
    from relais import page_cache

    page_cache.invalidate_all()
    status, cold = measure(anonymous, "GET", path)
    status_again, warm = measure(anonymous, "GET", path)
    if status != 200 or status_again != 200:
        entry["reason"] = f"GET {path} answered {status}"
        return
    entry.update(
        users=[{"cookies": {}, "paths": [path]}],
        queries=warm,
        queries_uncached=cold,
        expect=[200],
        ready=True,
    )


def signed_in_get(entry, pool: list[dict], path_of_user, status_ok=(200,)) -> None:
    if not pool:
        entry["reason"] = "no suitable account in the data"
        return
    users = [
        {"cookies": p["cookies"], "paths": path_of_user(i, p)}
        for i, p in enumerate(pool)
    ]
    client = Client(HTTP_HOST=HOST)
    client.force_login(pool[0]["user"])
    path = users[0]["paths"][0]
    measure(client, "GET", path)  # first visit may warm per-process caches
    status, count = measure(client, "GET", path)
    if status not in status_ok:
        entry["reason"] = f"GET {path} answered {status}"
        return
    entry.update(users=users, queries=count, expect=list(status_ok), ready=True)


def fill_scenario(entry, scenario, people, course, lessons, anonymous) -> None:
    name = scenario.name
    if name == "reference":
        anonymous_page(entry, "/bench/reference/", anonymous)
    elif name == "reference_signed_in":
        signed_in_get(
            entry, people["readers"], lambda _i, _p: ["/bench/reference/signed-in/"]
        )
    elif name == "catalogue":
        from courses.models import CourseIndexPage

        index = (
            CourseIndexPage.objects.live().filter(locale__language_code="en").first()
        )
        if index is None:
            entry["reason"] = "no live catalogue page"
            return
        anonymous_page(entry, path_of(index), anonymous)
    elif name == "course":
        if course is None:
            entry["reason"] = "no live course"
            return
        anonymous_page(entry, path_of(course), anonymous)
    elif name == "lesson":
        paths = [path_of(lesson) for lesson in lessons]
        if not paths:
            entry["reason"] = "the course has no lessons"
            return
        signed_in_get(
            entry,
            people["readers"],
            lambda i, _p: paths[i % len(paths) :] + paths[: i % len(paths)],
        )
    elif name == "dashboard":
        signed_in_get(entry, people["readers"], lambda _i, _p: ["/en/dashboard/"])
    elif name == "trainer":
        signed_in_get(entry, people["trainers"], lambda _i, _p: ["/en/trainer/"])
    elif name == "report":
        path = report_path()
        if path is None:
            entry["reason"] = "no admin report URL under /admin/reports/ yet"
            return
        signed_in_get(entry, people["admins"], lambda _i, _p: [path])
    elif name == "mark_done":
        fill_mark_done(entry, people, lessons)


def fill_mark_done(entry, people, lessons) -> None:
    from django.urls import Resolver404, resolve

    writers = people["writers"]
    if not writers or not lessons:
        entry["reason"] = "no active enrolment with lessons"
        return
    probe = mark_done_path(lessons[0])
    try:
        match = resolve(probe)
    except Resolver404:
        entry["reason"] = f"{probe} does not resolve yet"
        return
    if match.func.__module__.startswith("wagtail"):
        entry["reason"] = f"{probe} is not a view yet (Wagtail catches it)"
        return
    paths = [path_of(lesson) for lesson in lessons]
    users = []
    for i, person in enumerate(writers):
        k = i % len(lessons)
        order = lessons[k:] + lessons[:k]
        users.append(
            {
                "cookies": person["cookies"],
                "csrf_path": paths[k],
                "paths": [mark_done_path(lesson) for lesson in order],
            }
        )
    # Count on the last writer's last lesson, so the load starts from fresh rows.
    client = Client(HTTP_HOST=HOST)
    client.force_login(writers[-1]["user"])
    status, count = measure(client, "POST", users[-1]["paths"][-1])
    if status not in (200, 204, 302, 303):
        entry["reason"] = f"POST {users[-1]['paths'][-1]} answered {status}"
        return
    entry.update(users=users, queries=count, expect=[200, 204, 302, 303], ready=True)


def pick_people() -> dict:
    from accounts.models import User
    from enrolment.models import Cohort, Enrolment

    course, active = busiest_course()
    lessons = lessons_of(course) if course else []
    log(f"course: {course} ({active} active enrolments, {len(lessons)} lessons)")
    enrolments = list(
        Enrolment.objects.filter(course=course, status=Enrolment.Status.ACTIVE)
        .select_related("user")
        .order_by("id")[: 2 * POOL]
        if course
        else []
    )
    readers = [e.user for e in enrolments[:POOL]]
    writers = [e.user for e in enrolments[POOL:]]
    trainer_ids = [
        row["trainer"]
        for row in Cohort.objects.filter(trainer__isnull=False)
        .values("trainer")
        .annotate(n=Count("id"))
        .order_by("-n", "trainer")[:POOL]
    ]
    trainers = list(User.objects.filter(pk__in=trainer_ids))
    admin = ensure_admin()
    everyone = with_password(readers + writers + trainers)
    readers = everyone[: len(readers)]
    writers = everyone[len(readers) : len(readers) + len(writers)]
    trainers = everyone[len(readers) + len(writers) :]
    log(
        f"accounts: {len(readers)} readers, {len(writers)} writers, "
        f"{len(trainers)} trainers, 1 admin; password {PASSWORD!r}"
    )

    def pool(users):
        return [{"user": u, "email": u.email, "cookies": session_for(u)} for u in users]

    return {
        "course": course,
        "lessons": lessons,
        "readers": pool(readers),
        "writers": pool(writers),
        "trainers": pool(trainers),
        # One admin, several sessions (one per concurrent user).
        "admins": [
            {"user": admin, "email": admin.email, "cookies": session_for(admin)}
            for _ in range(POOL)
        ],
    }


def main() -> None:
    out = Path(sys.argv[1])
    seed = seed_scale_data()
    vacuum_analyze()
    people = pick_people()
    scenarios = plan_scenarios(people)
    plan = {
        "seed": seed,
        "data": data_sizes(),
        "course": str(people["course"]) if people["course"] else None,
        "accounts": {
            "password": PASSWORD,
            "reader": people["readers"][0]["email"] if people["readers"] else None,
            "trainer": people["trainers"][0]["email"] if people["trainers"] else None,
            "admin": ADMIN_EMAIL,
        },
        "scenarios": scenarios,
    }
    out.write_text(json.dumps(plan, indent=1, default=str))
    log(f"plan written to {out}")


if __name__ == "__main__":
    main()
