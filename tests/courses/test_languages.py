"""The language holds (courses/languages.py): a course without a translation
in the reader's language is served under their prefix by an alias, with a
notice; translating a course with wagtail-localize gives pages that answer
at every level."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail_localize.models import Translation
from wagtail_localize.operations import translate_object, translate_page_subtree

from courses import languages
from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import catalogue, make_course, make_enrolment


@pytest.fixture
def fr_catalogue(site):
    """The French catalogue as a translation of the English one (as the demo
    and an editor make it), so that translations of courses find their
    parent."""
    en = catalogue("en")
    fr = en.copy_for_translation(Locale.objects.get(language_code="fr"))
    fr.title = "Cours"
    fr.save_revision().publish()
    return fr


def _translate_with_subtree(course, language, user, capture):
    """What wagtail-localize's "Translate this page" with "Include subtree"
    does (SubmitTranslationView.form_valid): the page, then its subtree, in
    one transaction; the publications run when it commits."""
    locale = Locale.objects.get(language_code=language)
    with capture(execute=True), transaction.atomic():
        translate_object(course, [locale], None, user)
        translate_page_subtree(course.pk, [locale], None, user)
    return locale


def _urls_of(course):
    module = ModulePage.objects.child_of(course).order_by("path").first()
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    quiz = next(lesson for lesson in lessons if lesson.quizzes)
    return [course.url, module.url, lessons[0].url, quiz.url]


def _children_counts_are_true(locale):
    for page in Page.objects.filter(locale=locale):
        real = Page.objects.filter(
            path__startswith=page.path, depth=page.depth + 1
        ).count()
        assert page.numchild == real, (page.title, page.numchild, real)


@pytest.mark.parametrize("publish_at_once", [True, False])
def test_a_course_translated_with_its_subtree_answers_at_every_level(
    client,
    fr_catalogue,
    admin_user,
    participant,
    settings,
    publish_at_once,
    django_capture_on_commit_callbacks,
):
    """wagtail-localize's default (publish at once) used to leave the French
    course and modules with numchild = 0. With the project's setting the
    translations are drafts until the editor publishes each one."""
    settings.WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = publish_at_once
    course = make_course(title="Border management", quiz_in_last_lesson=True)
    fr = _translate_with_subtree(
        course, "fr", admin_user, django_capture_on_commit_callbacks
    )
    _children_counts_are_true(fr)
    fr_course = CoursePage.objects.get(
        translation_key=course.translation_key, locale=fr
    )
    if not publish_at_once:
        # Nothing went live in French with English text.
        assert (
            not Page.objects.filter(locale=fr)
            .descendant_of(fr_course, inclusive=True)
            .live()
            .exists()
        )
        with django_capture_on_commit_callbacks(execute=True):
            for translation in Translation.objects.filter(target_locale=fr):
                translation.save_target(user=admin_user, publish=True)
        _children_counts_are_true(fr)
    make_enrolment(user=participant, course=fr_course)
    client.force_login(participant)
    urls = _urls_of(fr_course)
    assert all(url.startswith("/fr/courses/") for url in urls)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url


def test_untranslated_pages_stay_in_the_source_language_with_the_notice(
    client, fr_catalogue, admin_user, participant, django_capture_on_commit_callbacks
):
    """The French tree mirrors the course by aliases; "Translate this page"
    converts them into translations, which keep showing the English content
    (marked as English) until an editor publishes each translation."""
    course = make_course(title="Return and reintegration", modules=1)
    languages.course_aliases_ensure(course)
    fr = _translate_with_subtree(
        course, "fr", admin_user, django_capture_on_commit_callbacks
    )
    _children_counts_are_true(fr)
    fr_lesson = LessonPage.objects.filter(locale=fr).order_by("path").first()
    assert fr_lesson.live and fr_lesson.alias_of_id is None
    assert languages.content_language(fr_lesson) == "en"
    fr_course = languages.course_in_language(course, "fr")
    make_enrolment(user=participant, course=fr_course)
    client.force_login(participant)
    response = client.get(fr_lesson.url)
    assert response.status_code == 200
    assert "interface reste en" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        Translation.objects.get(
            target_locale=fr, source__object_id=fr_lesson.translation_key
        ).save_target(user=admin_user, publish=True)
    fr_lesson = LessonPage.objects.get(pk=fr_lesson.pk)
    assert languages.content_language(fr_lesson) == "fr"
    assert "interface reste en" not in client.get(fr_lesson.url).content.decode()


def test_aliases_are_made_once_in_every_other_language(site):
    course = make_course(title="Labour migration", modules=1, lessons_per_module=2)
    # A course, a module and two lessons in five other languages (the
    # catalogues they need come with them, uncounted).
    assert languages.course_aliases_ensure(course) == 4 * 5
    assert languages.course_aliases_ensure(course) == 0
    ru = CoursePage.objects.get(
        translation_key=course.translation_key, locale__language_code="ru"
    )
    assert ru.alias_of_id == course.pk and ru.live
    assert ru.url.startswith("/ru/courses/")
    assert LessonPage.objects.descendant_of(ru).live().count() == 2


def test_a_russian_reader_stays_in_russian_on_an_english_only_course(
    client, site, participant
):
    course = make_course(title="Diaspora engagement", modules=1, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    ru_course = languages.course_in_language(course, "ru")
    assert ru_course.pk != course.pk
    response = client.get(ru_course.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ru"' in html
    assert "Этот курс на другом языке: английский" in html
    assert "Diaspora engagement" in html
    make_enrolment(user=participant, course=ru_course)
    client.force_login(participant)
    lesson = LessonPage.objects.live().descendant_of(ru_course).get()
    assert lesson.url.startswith("/ru/courses/")
    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "Эта страница на другом языке: английский" in response.content.decode()


def test_no_notice_where_the_content_is_in_the_interface_language(client, site):
    course = make_course(title="Migration data", modules=1, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    html = client.get(course.url).content.decode()
    assert "content-language-notice" not in html


def test_the_russian_catalogue_links_under_ru_and_marks_the_language(client, site):
    course = make_course(title="Climate mobility", modules=1, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    index = CourseIndexPage.objects.get(locale__language_code="ru")
    response = client.get(index.url)
    html = response.content.decode()
    ru_course = languages.course_in_language(course, "ru")
    assert f'href="{ru_course.url}"' in html
    assert f'href="{course.url}"' not in html
    assert 'lang="en"' in html  # the card is marked with its content's language
    assert "English" in html


def test_the_switcher_lands_on_the_alias(client, site):
    course = make_course(title="Counter-trafficking", modules=1, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    response = client.post(
        reverse("set_language"),
        {"language": "ru", "next": course.url, "page": course.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == languages.course_in_language(course, "ru").url


def test_a_participant_enrolled_on_an_alias_progresses_and_completes(site, participant):
    from enrolment.services import lesson_complete

    course = make_course(title="Consular services", modules=2, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    ru_course = languages.course_in_language(course, "ru")
    enrolment = make_enrolment(user=participant, course=ru_course)
    for lesson in LessonPage.objects.live().descendant_of(ru_course).order_by("path"):
        lesson_complete(enrolment=enrolment, lesson=lesson)
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"


def test_aliases_follow_the_publication_of_the_source(site):
    course = make_course(title="Integration policy", modules=1, lessons_per_module=1)
    languages.course_aliases_ensure(course)
    course.title = "Integration policy, revised"
    course.save_revision().publish()
    ru_course = languages.course_in_language(course, "ru")
    assert ru_course.title == "Integration policy, revised"


def test_the_translation_editor_names_what_is_still_untranslated(
    client, admin_user, fr_catalogue, django_capture_on_commit_callbacks
):
    """Item 7: not only "missing translations - see below": which fields."""
    course = make_course(title="Integration basics", modules=1, lessons_per_module=1)
    _translate_with_subtree(
        course, "fr", admin_user, django_capture_on_commit_callbacks
    )
    french = CoursePage.objects.get(
        translation_key=course.translation_key, locale__language_code="fr"
    )
    client.force_login(admin_user)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[french.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not translated yet in" in body
    assert "Title" in body.split("Not translated yet in", 1)[1].split("</", 1)[0]
    # The English page itself is not a translation: no such warning.
    english = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert "Not translated yet in" not in english.content.decode()
