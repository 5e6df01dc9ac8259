"""Demo cascade of the capacity-development train-the-trainer programme in six
countries: programme experts (generation 1) trained about 80 participants who
became trainers; they ran cohorts and in-person sessions (generation 2), and
some of their participants became trainers in turn (generation 3).

Runs after demo.enrolment, before demo.certificates; idempotent (the expert
cohorts mark it as loaded); bulk inserts keep it to a few seconds."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

TOT_SLUG = "capacity-development-tot"
WORKSHOP_SLUG = "delivering-the-capacity-development-workshop"
TRAINER_EMAIL = "trainer@relais.local"
TRAINER_PASSWORD = "relais-trainer"  # dev only: printed when DEBUG is on
EMAIL_DOMAIN = "cascade.relais.local"

COUNTRIES = [
    # code, language, city, institution, trained participants
    ("BR", "pt", "Brasília", "Ministério da Justiça e Segurança Pública", 14),
    ("CM", "fr", "Yaoundé", "Ministère des Relations Extérieures", 13),
    ("CR", "es", "San José", "Dirección General de Migración y Extranjería", 13),
    ("SV", "es", "San Salvador", "Dirección General de Migración y Extranjería", 13),
    ("KG", "ru", "Bishkek", "Ministry of Labour, Social Security and Migration", 13),
    ("UG", "en", "Kampala", "Ministry of Internal Affairs", 14),
]
FIRST = {
    "BR": ["Ana", "João", "Mariana", "Pedro", "Luana", "Rafael", "Camila", "Thiago"],
    "CM": ["Aïcha", "Jean", "Brigitte", "Paul", "Nadège", "Samuel", "Estelle", "Yves"],
    "CR": ["María", "José", "Daniela", "Luis", "Valeria", "Andrés", "Sofía", "Diego"],
    "SV": ["Carmen", "Óscar", "Gabriela", "Mario", "Rosa", "Ernesto", "Iris", "Raúl"],
    "KG": [
        "Айгуль",
        "Бакыт",
        "Жылдыз",
        "Нурлан",
        "Асель",
        "Эрлан",
        "Гульнара",
        "Тимур",
    ],
    "UG": ["Grace", "Moses", "Florence", "Isaac", "Sarah", "Ronald", "Esther", "Brian"],
}
LAST = {
    "BR": ["Silva", "Souza", "Oliveira", "Santos", "Lima", "Costa"],
    "CM": ["Mbarga", "Nkongho", "Fotso", "Tchoupo", "Ngono", "Eto'o"],
    "CR": ["Rodríguez", "Vargas", "Jiménez", "Mora", "Rojas", "Solano"],
    "SV": ["Hernández", "López", "Martínez", "Flores", "Rivera", "Alvarado"],
    "KG": ["Асанова", "Токтогулов", "Мамытова", "Осмонов", "Жумабаева", "Исаков"],
    "UG": ["Okello", "Namutebi", "Mugisha", "Achieng", "Ssempala", "Nakato"],
}


def _courses():
    from courses.models import CoursePage

    found = {
        c.slug: c
        for c in CoursePage.objects.filter(
            slug__in=[TOT_SLUG, WORKSHOP_SLUG], locale__language_code="en"
        )
    }
    return found.get(TOT_SLUG), found.get(WORKSHOP_SLUG)


def _lesson_ids(course) -> list[int]:
    from courses.models import LessonPage

    return list(
        LessonPage.objects.live()
        .descendant_of(course)
        .order_by("path")
        .values_list("pk", flat=True)
    )


class _Builder:
    """Collects rows in memory, then writes each table with one bulk insert."""

    def __init__(self, rng: random.Random, password: str) -> None:
        self.rng = rng
        self.password = password
        self.n = 0

    def person(self, code: str, tag: str):
        from accounts.models import User

        self.n += 1
        first = self.rng.choice(FIRST[code])
        last = self.rng.choice(LAST[code])
        gender = self.rng.choice(["woman", "woman", "man", "man", "not_stated"])
        return User(
            email=f"{tag}{self.n:04d}.{code.lower()}@{EMAIL_DOMAIN}",
            first_name=first,
            last_name=last,
            country=code,
            gender=gender,
            password=self.password,
        )


def load(*, stdout, debug: bool) -> None:
    from demo.accounts import ensure_verified_user
    from enrolment.models import Cohort

    tot, workshop = _courses()
    if tot is None or workshop is None:
        return
    loaded = Cohort.objects.filter(
        course=tot, parent__isnull=True, trainer__email__endswith="@" + EMAIL_DOMAIN
    )
    if not loaded.exists():
        with transaction.atomic():
            _load(tot=tot, workshop=workshop, debug=debug)
            # allauth wants a verified address to let the trainer sign in.
            ensure_verified_user(email=TRAINER_EMAIL)
    _print_trainer(stdout, debug)


def _print_trainer(stdout, debug: bool) -> None:
    if debug:
        stdout.write(
            f"Demo trainer (dev only): {TRAINER_EMAIL} / {TRAINER_PASSWORD}"
            "  -> /trainer/"
        )


def _load(*, tot, workshop, debug: bool) -> None:
    from accounts.models import User
    from cascades.models import SessionAttendee, TrainerQualification, TrainingSession
    from cascades.services import cascade_tree_rebuild
    from enrolment.models import Cohort, Enrolment, LessonProgress
    from enrolment.services.progress import furthest_lesson_refresh

    rng = random.Random(6)  # noqa: S311 - demo data
    now = timezone.now()
    today = timezone.localdate()
    # An unusable password for everyone but the demo trainer (set afterwards).
    builder = _Builder(rng, make_password(None))
    lessons = {tot.pk: _lesson_ids(tot), workshop.pk: _lesson_ids(workshop)}

    # Generation 1: one expert cohort per country (the experts are staff of
    # the programme, users too).
    experts = [builder.person(code, "expert") for code, *_rest in COUNTRIES]
    User.objects.bulk_create(experts)
    experts = list(User.objects.filter(email__in=[u.email for u in experts]))
    expert_by_country = {u.country.code: u for u in experts}
    start = today - datetime.timedelta(days=540)
    gen1 = [
        Cohort(
            course=tot,
            name=f"ToT {city} {start.year}",
            country=code,
            institution=institution,
            language=lang,
            starts_on=start,
            ends_on=start + datetime.timedelta(days=60),
            mode=Cohort.Mode.BLENDED,
            trainer=expert_by_country[code],
        )
        for code, lang, city, institution, _n in COUNTRIES
    ]
    Cohort.objects.bulk_create(gen1)
    gen1 = list(Cohort.objects.filter(course=tot, trainer__in=experts))
    gen1_by_country = {c.country.code: c for c in gen1}

    # About 80 participants complete the ToT and become trainers; the first
    # Cameroonian one is the demo trainer.
    trained: list[User] = []
    for code, _lang, _city, institution, count in COUNTRIES:
        for _i in range(count):
            person = builder.person(code, "tot")
            person.institution = institution
            trained.append(person)
    trained[14].email = TRAINER_EMAIL  # first of Cameroon (after 14 in Brazil)
    trained[14].first_name, trained[14].last_name = "Tina", "Ngono"
    if debug:
        trained[14].password = make_password(TRAINER_PASSWORD)
    User.objects.bulk_create(trained)
    trained = list(
        User.objects.filter(email__in=[u.email for u in trained]).order_by("pk")
    )
    demo_trainer = next(u for u in trained if u.email == TRAINER_EMAIL)

    enrolments: list[Enrolment] = []
    completed_at = now - datetime.timedelta(days=470)
    for person in trained:
        cohort = gen1_by_country[person.country.code]
        enrolments.append(
            Enrolment(
                user=person,
                course=tot,
                cohort=cohort,
                status=Enrolment.Status.COMPLETED,
                source=Enrolment.Source.INVITATION,
                enrolled_at=now - datetime.timedelta(days=540),
                completed_at=completed_at,
            )
        )
    Enrolment.objects.bulk_create(enrolments)
    tot_enrolment = dict(
        Enrolment.objects.filter(course=tot, user__in=trained).values_list(
            "user_id", "pk"
        )
    )
    qualifications = [
        TrainerQualification(
            user=person,
            course=course,
            qualifying_enrolment_id=tot_enrolment[person.pk],
            granted_at=completed_at,
        )
        for person in trained
        for course in (tot, workshop)
    ]

    # Generation 2: each trained person runs one to three cohorts or sessions.
    gen2: list[Cohort] = []
    plans: list[tuple[User, str]] = []  # (trainer, "tot" | "workshop")
    for person in trained:
        kinds = ["workshop"] * rng.randint(1, 3)
        if person is demo_trainer or rng.random() < 0.15:
            kinds[0] = "tot"
        for kind in kinds:
            plans.append((person, kind))
    for index, (person, kind) in enumerate(plans):
        code = person.country.code
        lang = next(c[1] for c in COUNTRIES if c[0] == code)
        starts = today - datetime.timedelta(days=rng.randint(120, 420))
        course = tot if kind == "tot" else workshop
        gen2.append(
            Cohort(
                course=course,
                name=f"{person.institution[:60]} · {person.last_name} {index + 1}",
                country=code,
                institution=person.institution,
                language=lang,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=30),
                mode=rng.choice([Cohort.Mode.IN_PERSON, Cohort.Mode.BLENDED]),
                trainer=person,
                parent=gen1_by_country[code],
                enrolment_key=f"DEMO{index + 1:04d}",
            )
        )
    Cohort.objects.bulk_create(gen2)
    gen2 = list(Cohort.objects.filter(enrolment_key__startswith="DEMO").order_by("pk"))

    participants: list[User] = []
    placements: list[tuple[int, Cohort]] = []  # (index in participants, cohort)
    for cohort in gen2:
        size = rng.randint(6, 14) if cohort.course_id == workshop.pk else 5
        if cohort.trainer_id == demo_trainer.pk and cohort.course_id == tot.pk:
            size = 6
        for _i in range(size):
            person = builder.person(cohort.country.code, "p")
            person.institution = cohort.institution
            placements.append((len(participants), cohort))
            participants.append(person)
    User.objects.bulk_create(participants)
    by_email = dict(
        User.objects.filter(email__in=[u.email for u in participants]).values_list(
            "email", "pk"
        )
    )
    new_enrolments: list[Enrolment] = []
    gen3_trainers: list[tuple[int, Cohort]] = []  # (user id, the ToT cohort)
    for index, cohort in placements:
        user_id = by_email[participants[index].email]
        is_tot = cohort.course_id == tot.pk
        done = rng.random() < (0.7 if is_tot else 0.55)
        new_enrolments.append(
            Enrolment(
                user_id=user_id,
                course_id=cohort.course_id,
                cohort=cohort,
                status=Enrolment.Status.COMPLETED if done else Enrolment.Status.ACTIVE,
                source=Enrolment.Source.KEY,
                enrolled_at=now - datetime.timedelta(days=100),
                completed_at=now - datetime.timedelta(days=60) if done else None,
            )
        )
        if is_tot and done:
            gen3_trainers.append((user_id, cohort))
    Enrolment.objects.bulk_create(new_enrolments)
    enrolment_rows = list(
        Enrolment.objects.filter(cohort__in=gen2).values_list(
            "pk", "user_id", "course_id", "status"
        )
    )
    enrolment_of = {(u, c): pk for pk, u, c, _s in enrolment_rows}
    progress: list[LessonProgress] = []
    for pk, _user, course_id, status in enrolment_rows:
        ids = lessons.get(course_id, [])
        if not ids:
            continue
        done_count = len(ids) if status == "completed" else rng.randint(0, len(ids) - 1)
        progress.extend(
            LessonProgress(enrolment_id=pk, lesson_id=lid, completed_at=now)
            for lid in ids[:done_count]
        )
    LessonProgress.objects.bulk_create(progress, batch_size=2000)
    furthest_lesson_refresh(
        course_ids={course_id for _p, _u, course_id, _s in enrolment_rows}
    )

    # Generation 3: graduates of generation-2 ToT cohorts who became trainers.
    for user_id, _cohort in gen3_trainers:
        for course in (tot, workshop):
            qualifications.append(
                TrainerQualification(
                    user_id=user_id,
                    course=course,
                    qualifying_enrolment_id=enrolment_of[(user_id, tot.pk)],
                    granted_at=now - datetime.timedelta(days=60),
                )
            )
    TrainerQualification.objects.bulk_create(qualifications)
    gen3_users = dict(
        User.objects.filter(pk__in=[u for u, _c in gen3_trainers]).values_list(
            "pk", "last_name"
        )
    )
    gen3 = []
    for n, (user_id, parent) in enumerate(gen3_trainers, start=1):
        starts = today - datetime.timedelta(days=rng.randint(10, 50))
        gen3.append(
            Cohort(
                course=workshop,
                name=f"{parent.institution[:60]} · {gen3_users[user_id]} G3-{n}",
                country=parent.country,
                institution=parent.institution,
                language=parent.language,
                starts_on=starts,
                ends_on=starts + datetime.timedelta(days=14),
                mode=Cohort.Mode.IN_PERSON,
                trainer_id=user_id,
                parent=parent,
            )
        )
    Cohort.objects.bulk_create(gen3)
    cascade_tree_rebuild()  # bulk_create skips cohort_open's placing
    gen3 = list(Cohort.objects.filter(parent__in=[c for _u, c in gen3_trainers]))

    # In-person sessions: in about half of generation-2 cohorts and in every
    # generation-3 cohort, mostly anonymous counts, sometimes a list.
    sessions: list[TrainingSession] = []
    for cohort in gen2 + gen3:
        if (
            cohort in gen2
            and rng.random() < 0.5
            and cohort.trainer_id != demo_trainer.pk
        ):
            continue
        city = next(c[2] for c in COUNTRIES if c[0] == cohort.country.code)
        sessions.append(
            TrainingSession(
                cohort=cohort,
                title="",
                held_on=cohort.starts_on or today,
                place=f"{cohort.institution[:120]}, {city}",
                duration_hours=Decimal(rng.choice(["3.0", "6.0", "7.5", "14.0"])),
                participants_women=rng.randint(3, 14),
                participants_men=rng.randint(3, 12),
                participants_other=rng.randint(0, 2),
                created_by_id=cohort.trainer_id,
            )
        )
    TrainingSession.objects.bulk_create(sessions)
    sessions = list(
        TrainingSession.objects.filter(cohort__in=gen2 + gen3).select_related("cohort")
    )
    attendees = []
    for session in sessions:
        if rng.random() < 0.6:
            continue
        listed = min(session.participants_total, rng.randint(2, 5))
        for i in range(listed):
            code = session.cohort.country.code
            first, last = rng.choice(FIRST[code]), rng.choice(LAST[code])
            # The last one listed gave no email (counted anonymously).
            email = f"att{session.pk}-{i}.{code.lower()}@{EMAIL_DOMAIN}"
            if i == listed - 1:
                email = ""
            attendees.append(
                SessionAttendee(
                    session=session,
                    name=f"{first} {last}",
                    email=email,
                    institution=session.cohort.institution,
                )
            )
    SessionAttendee.objects.bulk_create(attendees)
