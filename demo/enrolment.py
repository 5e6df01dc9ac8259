"""Demo participants at various stages of the flagship courses, and a cohort
of the integration course that anyone can join with the key INTEGRATION-2026.
Idempotent. Passwords are printed on dev machines only."""

from __future__ import annotations

from django.db import transaction

DEMO_PASSWORD = "relais-demo"  # dev only: not created outside DEBUG
INTEGRATION_SLUG = "integration-of-migrants-and-refugees"
TOT_SLUG = "capacity-development-tot"
KEY = "INTEGRATION-2026"

PEOPLE = [
    # email, first, last, country, institution, {slug: fraction of lessons done}
    (
        "amina@demo.relais.local",
        "Amina",
        "Nakato",
        "UG",
        "Office of the Prime Minister",
        {INTEGRATION_SLUG: 0.5},
    ),
    (
        "joao@demo.relais.local",
        "João",
        "Pereira",
        "BR",
        "Ministério da Justiça",
        {INTEGRATION_SLUG: 1.0, TOT_SLUG: 0.25},
    ),
    (
        "aizada@demo.relais.local",
        "Айзада",
        "Токтогулова",
        "KG",
        "State Migration Service",
        {TOT_SLUG: 0.0},
    ),
]


def _course(slug: str):
    from courses.models import CoursePage

    return (
        CoursePage.objects.live().filter(slug=slug, locale__language_code="en").first()
    )


@transaction.atomic
def load(*, stdout, debug: bool) -> None:
    from courses.selectors import course_live_lessons
    from demo.accounts import ensure_verified_user
    from enrolment import services
    from enrolment.models import Cohort, Enrolment

    integration = _course(INTEGRATION_SLUG)
    if integration is not None:
        Cohort.objects.get_or_create(
            enrolment_key=KEY,
            defaults={
                "course": integration,
                "name": "Integration 2026 (open cohort)",
                "country": "",
                "capacity": 300,
            },
        )
    if not debug:
        stdout.write("Demo participants not created: DEBUG is off (production).")
        return
    lines = []
    for email, first, last, country, institution, plan in PEOPLE:
        user = ensure_verified_user(
            email=email,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            country=country,
            institution=institution,
        )
        for slug, fraction in plan.items():
            course = _course(slug)
            if course is None:
                continue
            enrolment = Enrolment.objects.filter(user=user, course=course).first()
            if enrolment is None:
                # The ToT course takes no self-enrolment: its demo
                # participants were enrolled by the programme staff.
                source = (
                    Enrolment.Source.SELF
                    if course.allows_self_enrolment
                    else Enrolment.Source.ADMIN
                )
                enrolment = services.enrolment_create(
                    user=user, course=course, source=source
                )
            lessons = list(course_live_lessons(course=course))
            for lesson in lessons[: int(len(lessons) * fraction)]:
                services.lesson_complete(enrolment=enrolment, lesson=lesson)
        lines.append(email)
    if lines:
        stdout.write(
            "Demo participants (dev only, password "
            f"{DEMO_PASSWORD}): {', '.join(lines)}; enrolment key: {KEY}"
        )
