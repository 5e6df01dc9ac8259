"""Factories shared by the whole suite. Page trees are built with Wagtail's
own add_child so that paths, locales and revisions are real.

Append new factories at the end; keep the existing signatures stable."""

from __future__ import annotations

import itertools
from decimal import Decimal

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    # Hashed with the settings' first hasher (a fast one in the test settings).
    password = factory.LazyFunction(lambda: make_password("correct-horse-battery"))


_course_numbers = itertools.count(1)


def home_page(language: str = "en"):
    from home.models import HomePage
    from home.services import site_ensure

    site_ensure()
    return HomePage.objects.get(locale__language_code=language)


def catalogue(language: str = "en"):
    from courses.models import CourseIndexPage

    home = home_page(language)
    existing = CourseIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    index = CourseIndexPage(
        title="Courses",
        slug="courses",
        locale=Locale.objects.get(language_code=language),
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def quiz_block_value(
    *, title="Check your understanding", pass_mark=50, max_attempts=None
):
    """A quiz with one single-choice and one multiple-choice question."""
    return {
        "title": title,
        "pass_mark": pass_mark,
        "max_attempts": max_attempts,
        "questions": [
            {
                "text": "Who leads a national integration plan?",
                "kind": "single",
                "answers": [
                    {
                        "text": "The government, with civil society",
                        "correct": True,
                        "feedback": "Yes: ownership is national.",
                    },
                    {"text": "A donor alone", "correct": False, "feedback": "No."},
                ],
            },
            {
                "text": "Which are integration dimensions?",
                "kind": "multiple",
                "answers": [
                    {"text": "Employment", "correct": True, "feedback": ""},
                    {"text": "Housing", "correct": True, "feedback": ""},
                    {"text": "Weather", "correct": False, "feedback": ""},
                ],
            },
        ],
    }


def make_course(
    *,
    title: str = "Integration of migrants",
    slug: str | None = None,
    modules: int = 2,
    lessons_per_module: int = 2,
    kind: str = "self_paced",
    language: str = "en",
    quiz_in_last_lesson: bool = False,
    require_quiz_pass: bool = True,
    hours: str = "6.0",
):
    """A published course with modules and lessons. Returns the CoursePage;
    its lessons in order are `course_lessons(course)`."""
    from courses.models import CoursePage, LessonPage, ModulePage

    index = catalogue(language)
    course = CoursePage(
        title=title,
        slug=slug or f"{slugify(title)[:40]}-{next(_course_numbers)}",
        summary=f"Summary of {title}.",
        kind=kind,
        estimated_hours=Decimal(hours),
        require_quiz_pass=require_quiz_pass,
        certificate_wording="has successfully completed the course",
        certificate_signatory="Dr. A. Example",
        certificate_signatory_title="Programme Director",
        locale=index.locale,
    )
    index.add_child(instance=course)
    course.save_revision().publish()
    for m in range(1, modules + 1):
        module = ModulePage(
            title=f"Module {m}", slug=f"module-{m}", locale=index.locale
        )
        # Modules and lessons are saved live without a revision: publishing
        # each one costs about 5x more and no test needs their revisions.
        module.first_published_at = module.last_published_at = timezone.now()
        course.add_child(instance=module)
        for n in range(1, lessons_per_module + 1):
            body = [("rich_text", f"<p>Lesson {m}.{n} text.</p>")]
            last = m == modules and n == lessons_per_module
            if quiz_in_last_lesson and last:
                body.append(("quiz", quiz_block_value()))
            lesson = LessonPage(
                title=f"Lesson {m}.{n}",
                slug=f"lesson-{m}-{n}",
                body=body,
                locale=index.locale,
            )
            lesson.first_published_at = lesson.last_published_at = timezone.now()
            module.add_child(instance=lesson)
    return course


def course_lessons(course):
    from courses.models import LessonPage

    return list(LessonPage.objects.descendant_of(course).live().order_by("path"))


def make_cohort(*, course, **fields):
    """A cohort placed in its cascade under `parent` (or as a root), as
    cascades' cohort_open places one."""
    from cascades.services import cohort_place
    from enrolment.models import Cohort

    fields.setdefault("name", f"{course.title} cohort")
    return cohort_place(cohort=Cohort.objects.create(course=course, **fields))


def make_enrolment(*, user, course, cohort=None, **fields):
    from django.utils import timezone

    from enrolment.models import Enrolment

    fields.setdefault("enrolled_at", timezone.now())
    return Enrolment.objects.create(user=user, course=course, cohort=cohort, **fields)


def resource_index(language: str = "en"):
    """The resources library index of a language (created with its English
    original when missing)."""
    from resources.models import ResourceIndexPage

    home = home_page(language)
    existing = ResourceIndexPage.objects.child_of(home).first()
    if existing:
        return existing
    if language != "en":
        original = resource_index("en")
        index = original.copy_for_translation(home.locale)
        index.save_revision().publish()
        return index
    index = ResourceIndexPage(title="Resources", slug="resources", locale=home.locale)
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def make_resource(
    *,
    title: str = "A case study",
    slug: str | None = None,
    kind: str = "case_study",
    language: str = "en",
    live: bool = True,
    themes=(),
    **fields,
):
    """A published resource page; the fields its kind requires are filled
    with placeholder text unless given."""
    from resources.models import (
        CASE_STUDY_FIELDS,
        KNOWLEDGE_SHEET_FIELDS,
        ResourcePage,
    )

    index = resource_index(language)
    required = CASE_STUDY_FIELDS if kind == "case_study" else KNOWLEDGE_SHEET_FIELDS
    for name in required:
        fields.setdefault(name, f"<p>{name.replace('_', ' ').capitalize()}.</p>")
    fields.setdefault("summary", f"Summary of {title}.")
    page = ResourcePage(
        title=title,
        slug=slug or f"{slugify(title)[:40]}-{next(_course_numbers)}",
        kind=kind,
        locale=index.locale,
        live=live,
        **fields,
    )
    page.themes = list(themes)
    index.add_child(instance=page)
    if live:
        page.save_revision().publish()
    else:
        page.save_revision()
    return page
