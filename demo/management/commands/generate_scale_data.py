"""Scale data for benchmarks: participants, a cohort tree, enrolments and
lesson progress on one many-lesson course. Idempotent: what exists is reused.

    manage.py generate_scale_data                # 100k / 10k / 1M (PostgreSQL: COPY)
    manage.py generate_scale_data --participants 50 --cohorts 10 --progress 200
"""

from __future__ import annotations

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

EMAIL_DOMAIN = "scale.invalid"
COURSE_SLUG = "scale-benchmark-course"
COUNTRIES = ["BR", "CM", "CR", "SV", "KG", "UG", "SN", "MA", "PH", "UA", "JM", "TN"]
STATUSES = ["active"] * 7 + ["completed"] * 2 + ["withdrawn"]


def _postgresql() -> bool:
    return connection.vendor == "postgresql"


def _copy(label: str, columns: list[str], rows) -> None:
    """COPY on PostgreSQL, bulk_create elsewhere (small test data). COPY is
    kept for the speed of seeding a million rows: 200,000 progress rows took
    14.7 s with COPY and 145.8 s with bulk_create (batches of 5,000) on the
    scale copy, under load. Demo data only: this app is not installed in
    production (docs/performance.md)."""
    from django.apps import apps

    model = apps.get_model(label)
    rows = list(rows)
    if not rows:
        return
    if not _postgresql():
        model.objects.bulk_create(
            [model(**dict(zip(columns, row, strict=True))) for row in rows],
            batch_size=500,
        )
        return
    sql = f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


class Command(BaseCommand):
    help = "Generate scale data (participants, cohort tree, enrolments, progress)."

    def add_arguments(self, parser):
        parser.add_argument("--participants", type=int, default=100_000)
        parser.add_argument("--cohorts", type=int, default=10_000)
        parser.add_argument("--progress", type=int, default=1_000_000)
        parser.add_argument("--modules", type=int, default=10)
        parser.add_argument("--lessons-per-module", type=int, default=10)

    def handle(self, *args, **opts):
        started = time.monotonic()
        rng = random.Random(42)  # noqa: S311 - reproducible fake data
        course, lesson_ids = self._course(opts["modules"], opts["lessons_per_module"])
        self._say(f"course {course.pk} with {len(lesson_ids)} lessons", started)
        user_ids = self._users(opts["participants"], rng)
        self._say(f"{len(user_ids)} participants", started)
        cohort_ids = self._cohorts(course, opts["cohorts"], user_ids, rng)
        self._say(f"{len(cohort_ids)} cohorts", started)
        enrolment_ids = self._enrolments(course, user_ids, cohort_ids, rng)
        self._say(f"{len(enrolment_ids)} enrolments", started)
        n = self._progress(enrolment_ids, lesson_ids, opts["progress"])
        self._say(f"{n} progress rows", started)
        # The progress went in with COPY: each enrolment's furthest lesson
        # (what the drop-off report groups by) is filled here, in batches.
        # VACUUM and ANALYZE are PostgreSQL maintenance with no ORM form.
        from enrolment.services.progress import furthest_lesson_refresh

        changed = furthest_lesson_refresh(course_ids=[course.pk])
        self._say(f"{changed} enrolments' furthest lesson filled", started)
        if _postgresql() and not connection.in_atomic_block:
            # Filling the furthest lesson rewrote every enrolment row: compact
            # the tables (or every scan reads twice the pages) and give the
            # planner their statistics.
            with connection.cursor() as cursor:
                cursor.execute(
                    "VACUUM (FULL, ANALYZE) accounts_user, enrolment_cohort, "
                    "enrolment_enrolment, enrolment_lessonprogress"
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data ready in {time.monotonic() - started:.1f}s."
            )
        )

    def _say(self, text, started):
        self.stdout.write(f"[{time.monotonic() - started:6.1f}s] {text}")

    @transaction.atomic
    def _course(self, modules: int, per_module: int):
        from wagtail.models import Locale

        from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
        from home.services import site_ensure

        course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
        if course is None:
            site_ensure()
            locale = Locale.objects.get(language_code="en")
            index = CourseIndexPage.objects.filter(locale=locale).first()
            if index is None:
                from home.models import HomePage

                home = HomePage.objects.get(locale=locale)
                index = home.add_child(
                    instance=CourseIndexPage(
                        title="Courses", slug="courses", locale=locale
                    )
                )
            course = index.add_child(
                instance=CoursePage(
                    title="Scale benchmark course",
                    slug=COURSE_SLUG,
                    summary="Generated for benchmarks.",
                    locale=locale,
                    require_quiz_pass=False,
                )
            )
            for m in range(1, modules + 1):
                module = course.add_child(
                    instance=ModulePage(
                        title=f"Module {m}", slug=f"module-{m}", locale=locale
                    )
                )
                for n in range(1, per_module + 1):
                    module.add_child(
                        instance=LessonPage(
                            title=f"Lesson {m}.{n}",
                            slug=f"lesson-{m}-{n}",
                            locale=locale,
                            body=[("rich_text", f"<p>Lesson {m}.{n}.</p>")],
                        )
                    )
        ids = list(
            LessonPage.objects.live()
            .descendant_of(course)
            .order_by("path")
            .values_list("pk", flat=True)
        )
        return course, ids

    def _users(self, n: int, rng) -> list[int]:
        from accounts.models import User

        existing = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").count()
        now = timezone.now()
        if existing < n:
            rows = (
                (
                    "!",  # unusable password
                    False,
                    f"First{i}",
                    f"Last{i}",
                    False,
                    True,
                    now - timedelta(days=rng.randint(0, 900)),
                    f"p{i}@{EMAIL_DOMAIN}",
                    rng.choice(COUNTRIES),
                    f"Institution {i % 500}",
                    rng.choice(["government", "border", "civil_society", "academia"]),
                    "en",
                    rng.choice(["not_stated", "woman", "man"]),
                )
                for i in range(existing, n)
            )
            _copy(
                "accounts.User",
                [
                    "password",
                    "is_superuser",
                    "first_name",
                    "last_name",
                    "is_staff",
                    "is_active",
                    "date_joined",
                    "email",
                    "country",
                    "institution",
                    "organisation_type",
                    "preferred_language",
                    "gender",
                ],
                rows,
            )
        return list(
            User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
            .order_by("pk")
            .values_list("pk", flat=True)[:n]
        )

    def _cohorts(self, course, n: int, user_ids: list[int], rng) -> list[int]:
        from cascades.services import cascade_tree_rebuild
        from enrolment.models import Cohort

        existing = list(
            Cohort.objects.filter(course=course)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        today = timezone.now().date()
        # A tree of generations: cohort i was trained in cohort (i - 1) // 5.
        # Chunks end before any cohort whose parent is not yet saved.
        start = len(existing)
        while start < n:
            end = min(n, 5 * start + 1, start + 2000)
            batch = [
                Cohort(
                    course=course,
                    name=f"Scale cohort {i}",
                    country=rng.choice(COUNTRIES),
                    institution=f"Institution {i % 500}",
                    starts_on=today - timedelta(days=rng.randint(0, 900)),
                    trainer_id=user_ids[i % len(user_ids)] if user_ids else None,
                    parent_id=existing[(i - 1) // 5] if i > 0 else None,
                )
                for i in range(start, end)
            ]
            existing.extend(c.pk for c in Cohort.objects.bulk_create(batch))
            start = end
        cascade_tree_rebuild()  # bulk_create skips cohort_open's placing
        return existing[:n]

    def _enrolments(self, course, user_ids, cohort_ids, rng) -> list[int]:
        from enrolment.models import Enrolment

        have = set(
            Enrolment.objects.filter(course=course).values_list("user_id", flat=True)
        )
        now = timezone.now()
        rows = []
        for i, uid in enumerate(user_ids):
            if uid in have:
                continue
            status = rng.choice(STATUSES)
            enrolled = now - timedelta(days=rng.randint(1, 900))
            rows.append(
                (
                    uid,
                    course.pk,
                    cohort_ids[i % len(cohort_ids)] if cohort_ids else None,
                    status,
                    "import",
                    enrolled,
                    enrolled + timedelta(days=30) if status == "completed" else None,
                    enrolled + timedelta(days=10) if status == "withdrawn" else None,
                    enrolled,
                )
            )
        _copy(
            "enrolment.Enrolment",
            [
                "user_id",
                "course_id",
                "cohort_id",
                "status",
                "source",
                "enrolled_at",
                "completed_at",
                "withdrawn_at",
                "last_activity_at",
            ],
            rows,
        )
        return list(
            Enrolment.objects.filter(course=course, user_id__in=user_ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def _progress(self, enrolment_ids, lesson_ids, total: int) -> int:
        from enrolment.models import LessonProgress

        if not enrolment_ids or not lesson_ids:
            return 0
        existing = LessonProgress.objects.filter(
            enrolment_id__in=enrolment_ids[:1]
        ).exists() and (LessonProgress.objects.filter(lesson_id__in=lesson_ids).count())
        if existing and existing >= total:
            return existing
        per = max(1, min(len(lesson_ids), -(-total // len(enrolment_ids))))
        now = timezone.now()
        done_enrolments = (
            set(
                LessonProgress.objects.filter(lesson_id__in=lesson_ids)
                .values_list("enrolment_id", flat=True)
                .distinct()
            )
            if existing
            else set()
        )

        def rows():
            made = 0
            for eid in enrolment_ids:
                if eid in done_enrolments:
                    continue
                for lid in lesson_ids[:per]:
                    if made >= total:
                        return
                    made += 1
                    yield (eid, lid, now, None)

        _copy(
            "enrolment.LessonProgress",
            ["enrolment_id", "lesson_id", "completed_at", "quiz_score"],
            rows(),
        )
        return LessonProgress.objects.filter(lesson_id__in=lesson_ids).count()
