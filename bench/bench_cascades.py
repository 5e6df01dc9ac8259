"""Benchmark: reach of a generated cascade of 10,000 cohorts and sessions and
100,000 people, by generation and country, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/relais_cascades \
        .venv/bin/python bench/bench_cascades.py

Builds (once; kept with --keepdb semantics) a test database `test_<name>`,
fills it with bulk inserts, then times the selectors. Prints the figures and
the query counts. Not part of the test suite."""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

COHORTS = 7_000
SESSIONS = 3_000
ENROLLED = 70_000
ATTENDEES = 30_000  # with email; a tenth of them are also enrolled
COUNTRIES = ["BR", "CM", "CR", "SV", "KG", "UG"]
MARK = "bench-cascade"


def generate() -> None:
    from django.utils import timezone

    from accounts.models import User
    from cascades.models import (
        SessionAttendee,
        TrainerQualification,
        TrainingSession,
    )
    from cascades.services import cascade_tree_rebuild
    from enrolment.models import Cohort, Enrolment
    from tests.factories import make_course

    rng = random.Random(7)
    now = timezone.now()
    course = make_course(
        title="Bench ToT",
        slug=MARK,
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=1,
    )
    t0 = time.perf_counter()
    trainers = [
        User(email=f"trainer{i}@{MARK}.test", password="!", country=COUNTRIES[i % 6])
        for i in range(COHORTS)
    ]
    User.objects.bulk_create(trainers, batch_size=5000)
    trainer_ids = list(
        User.objects.filter(email__endswith=f"@{MARK}.test")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # Cohorts in id order: each picks a parent uniformly among the earlier
    # ones (a random recursive tree: about a dozen generations deep).
    cohorts = []
    for i in range(COHORTS):
        cohorts.append(
            Cohort(
                course=course,
                name=f"C{i}",
                country=COUNTRIES[i % 6],
                trainer_id=trainer_ids[i],
            )
        )
    Cohort.objects.bulk_create(cohorts, batch_size=5000)
    ids = list(
        Cohort.objects.filter(course=course).order_by("pk").values_list("pk", flat=True)
    )
    parents = []
    for i, pk in enumerate(ids):
        if i < 6:
            continue
        parents.append(Cohort(pk=pk, parent_id=ids[rng.randint(0, i - 1)]))
    Cohort.objects.bulk_update(parents, ["parent"], batch_size=5000)
    cascade_tree_rebuild()  # bulk writes skip cohort_open's placing

    people = [User(email=f"p{i}@{MARK}.people", password="!") for i in range(ENROLLED)]
    User.objects.bulk_create(people, batch_size=5000)
    people_ids = list(
        User.objects.filter(email__endswith=f"@{MARK}.people").values_list(
            "pk", flat=True
        )
    )
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                user_id=uid,
                course=course,
                cohort_id=rng.choice(ids),
                status=rng.choice(["active", "completed", "completed"]),
                enrolled_at=now,
            )
            for uid in people_ids
        ],
        batch_size=5000,
    )
    # Trainers produced: 5,000 completed enrolments qualify their people.
    qualifying = list(
        Enrolment.objects.filter(course=course, status="completed").values_list(
            "pk", "user_id"
        )[:5000]
    )
    TrainerQualification.objects.bulk_create(
        [
            TrainerQualification(
                user_id=uid, course=course, qualifying_enrolment_id=pk, granted_at=now
            )
            for pk, uid in qualifying
        ],
        batch_size=5000,
    )
    TrainingSession.objects.bulk_create(
        [
            TrainingSession(
                cohort_id=rng.choice(ids),
                held_on=now.date(),
                place="Hall",
                duration_hours=6,
                participants_women=rng.randint(5, 12),
                participants_men=rng.randint(5, 12),
                participants_other=rng.randint(0, 2),
            )
            for _ in range(SESSIONS)
        ],
        batch_size=5000,
    )
    session_ids = list(
        TrainingSession.objects.filter(cohort__course=course).values_list(
            "pk", flat=True
        )
    )
    SessionAttendee.objects.bulk_create(
        [
            SessionAttendee(
                session_id=session_ids[i % len(session_ids)],
                name=f"A{i}",
                # every tenth attendee is someone also enrolled (counted once)
                email=(f"p{i}@{MARK}.people" if i % 10 == 0 else f"a{i}@{MARK}.att"),
            )
            for i in range(ATTENDEES)
        ],
        batch_size=5000,
    )
    print(f"generated in {time.perf_counter() - t0:.1f} s")


def measure(label: str, fn) -> object:
    with CaptureQueriesContext(connection) as ctx:
        t0 = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - t0
    print(f"{label}: {elapsed * 1000:.0f} ms, {len(ctx.captured_queries)} queries")
    return result


def main() -> None:
    from django.test.utils import setup_test_environment

    from cascades import selectors
    from enrolment.models import Cohort

    if connection.vendor != "postgresql":
        print("Set DATABASE_URL to a PostgreSQL database.", file=sys.stderr)
        sys.exit(2)
    setup_test_environment()
    name = connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    print(f"database: {name}")
    if not Cohort.objects.filter(course__slug=MARK).exists():
        from home.services import site_ensure

        site_ensure()
        generate()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    cohorts = Cohort.objects.filter(course__slug=MARK).count()
    print(f"cohorts: {cohorts}, sessions: {SESSIONS}, people: {ENROLLED + ATTENDEES}")
    for run in (1, 2, 3):
        cascades = measure(
            f"run {run} every cascade by generation and country",
            selectors.cascade_reach_by_course,
        )
    reach = cascades[0].reach
    print(
        f"reach: {reach.total.reached} people ({reach.total.people} identified, "
        f"{reach.total.anonymous} anonymous), {reach.total.trainers} trainers, "
        f"multiplier {reach.total.multiplier}, "
        f"{len(reach.by_generation)} generations, {len(reach.by_country)} countries"
    )
    root = Cohort.objects.filter(course__slug=MARK, parent__isnull=True).first()
    measure(
        "one root trainer's cascade",
        lambda: selectors.cascade_reach_for_trainer(user=root.trainer),
    )


if __name__ == "__main__":
    main()
