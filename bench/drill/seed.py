"""The drill's own content, in place of the whole demo (`load_demo` took
about four minutes here and most of it was never used): what the drill's
phases touch and nothing else, made through the project's services and
kept in the template database (setup.fresh_database).

  - the catalogue in every language (demo.courses) and one course with
    certificates on: three lessons, no quiz, a cover image and an image in
    its first lesson (in the public bucket, read anonymously through the
    balancer's /media/);
  - a trainer with a cohort of that course, and SEEDED participants in it,
    COMPLETED of whom have finished the course, so that the template holds
    pending certificates that the workers render (settle) and the restore
    drill verifies;
  - the load's accounts, enrolled through enrolment_create (the one path
    every enrolment takes): `complete-NNNN` finish the course under the
    kills, `read-NNNN` read its lessons; and an account for the sign-in
    checks. Their sessions are made per run (prepare): the session data is
    signed with the run's SECRET_KEY.

Imported by django_side.py once Django is set up."""

from __future__ import annotations

import time

from django.contrib.auth.hashers import make_password
from django.db import transaction

COURSE_SLUG = "drill-course"
LESSONS = 3
PASSWORD = "drill-relais-password"
SIGN_IN_EMAIL = "drill-sign-in@relais.local"
TRAINER_EMAIL = "drill-trainer@relais.local"
SEEDED = 8
COMPLETED = 4
COMPLETE_PREFIX = "complete"
READ_PREFIX = "read"
IMAGE_ALT = (
    "Diagram: a person at the centre, linked to work, school, housing and health"
)


def _publish(page) -> None:
    page.save_revision().publish()


def course_ensure():
    """The drill course (idempotent, found again by slug)."""
    from wagtail.models import Locale

    from courses.models import CoursePage, LessonPage, ModulePage
    from demo.courses import _catalogues, _image

    # The English page (its aliases in the other languages share the slug).
    course = CoursePage.objects.filter(
        slug=COURSE_SLUG, locale__language_code="en", alias_of=None
    ).first()
    if course is not None:
        return course
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    catalogue = _catalogues(locales)["en"]
    image = _image("integration")
    en = locales["en"]
    course = CoursePage(
        title="Drill course: handing on the baton",
        slug=COURSE_SLUG,
        summary="A three-lesson course the several-hosts drill completes.",
        locale=en,
        cover_image=image,
        cover_alt=IMAGE_ALT,
        require_quiz_pass=False,
        certificate_enabled=True,
        certificate_wording="has completed the several-hosts drill course.",
        certificate_signatory="Drill Signatory",
        certificate_signatory_title="Programme lead",
    )
    catalogue.add_child(instance=course)
    _publish(course)
    module = ModulePage(title="Module 1", slug="module-1", locale=en)
    course.add_child(instance=module)
    _publish(module)
    for n in range(1, LESSONS + 1):
        body: list = [("rich_text", f"<p>Lesson {n} of the drill.</p>")]
        if n == 1:
            body.append(
                ("image", {"image": image, "alt_text": IMAGE_ALT, "caption": ""})
            )
        lesson = LessonPage(
            title=f"Lesson {n}", slug=f"lesson-{n}", locale=en, body=body
        )
        module.add_child(instance=lesson)
        _publish(lesson)
    return course


def accounts(prefix: str, n: int, course, cohort=None) -> list:
    """`n` participants enrolled in `course` (in `cohort` if given) through
    the enrolment service, with one shared password hash."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from enrolment.models import Enrolment
    from enrolment.services import enrolment_create

    emails = [f"{prefix}-{i:04d}@drill.relais.local" for i in range(n)]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(email=email, password=password, first_name="Drill", last_name=email)
            for email in emails
            if email not in existing
        ]
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
        ],
        ignore_conflicts=True,
    )
    enrolled = set(
        Enrolment.objects.filter(course=course, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    source = Enrolment.Source.ADMIN if cohort is not None else Enrolment.Source.SELF
    for user in users:
        if user.pk not in enrolled:
            with transaction.atomic():
                enrolment_create(user=user, course=course, cohort=cohort, source=source)
    return users


@transaction.atomic
def trainer_cohort(course):
    """The trainer and their cohort of the drill course, placed in the
    cascade as a root (what the admin's cohort form does)."""
    from cascades.services.tree import cohort_saved_in_admin
    from demo.accounts import ensure_verified_user
    from enrolment.models import Cohort

    trainer = ensure_verified_user(
        email=TRAINER_EMAIL, password=PASSWORD, first_name="Drill", last_name="Trainer"
    )
    cohort = Cohort.objects.filter(course=course, trainer=trainer).first()
    if cohort is None:
        cohort = Cohort.objects.create(
            course=course, name="Drill cohort", trainer=trainer, capacity=None
        )
        cohort_saved_in_admin(cohort=cohort, created=True)
    return cohort


def complete(users: list, course) -> int:
    """Every lesson of `course` done for `users`, through lesson_complete:
    the completion requests the certificate in its own transaction."""
    from courses.selectors import course_live_lessons
    from enrolment.models import Enrolment
    from enrolment.services import lesson_complete

    lessons = list(course_live_lessons(course=course))
    done = 0
    for enrolment in Enrolment.objects.filter(course=course, user__in=users):
        for lesson in lessons:
            with transaction.atomic():
                lesson_complete(enrolment=enrolment, lesson=lesson)
        done += 1
    return done


def seed(completers: int, readers: int) -> dict:
    """Everything above (idempotent); what was made, and how long it took."""
    from courses.languages import all_course_aliases_ensure
    from courses.roles import course_editors_ensure
    from demo.accounts import ensure_verified_user
    from home.services import site_ensure

    started = time.monotonic()
    site_ensure()
    course = course_ensure()
    cohort = trainer_cohort(course)
    seeded = accounts("participant", SEEDED, course, cohort)
    completed = complete(seeded[:COMPLETED], course)
    completing = accounts(COMPLETE_PREFIX, completers, course)
    reading = accounts(READ_PREFIX, readers, course)
    ensure_verified_user(email=SIGN_IN_EMAIL, password=PASSWORD, first_name="Sign-in")
    with transaction.atomic():
        aliases = all_course_aliases_ensure()
        course_editors_ensure()
    return {
        "course": course.pk,
        "cohort": cohort.pk,
        "participants": len(seeded),
        "completed": completed,
        "completers": len(completing),
        "readers": len(reading),
        "aliases": aliases,
        "seconds": round(time.monotonic() - started, 1),
    }
