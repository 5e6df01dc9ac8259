"""The demo courses, loaded once for the module (translating two courses
into five and three languages through wagtail-localize takes a while)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.html import escape
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision
from wagtail_localize.models import StringTranslation, Translation, TranslationSource

from courses.models import CoursePage, LessonPage
from demo import courses as demo
from demo.content import strings as demo_strings
from demo.demo_content_courses import COURSES
from demo.localize import missing_segments
from home.services import site_ensure

TOT = "capacity-development-tot"
INTEGRATION = "integration-of-migrants-and-refugees"
WORKSHOP = "delivering-the-capacity-development-workshop"
LANGUAGES = {
    TOT: ["fr", "es", "pt", "ru", "ar"],
    INTEGRATION: ["fr", "es", "ar"],
}


def counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        get_image_model().objects.count(),
        get_user_model().objects.count(),
        TranslationSource.objects.count(),
        Translation.objects.count(),
        StringTranslation.objects.count(),
    )


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """The demo courses loaded twice, inside a transaction rolled back at the
    end of the module: the counts after the first and the second load."""
    with django_db_blocker.unblock(), transaction.atomic():
        site_ensure()
        demo.load(stdout=io.StringIO(), debug=True)
        first = counts()
        demo.load(stdout=io.StringIO(), debug=True)
        yield first, counts()
        transaction.set_rollback(True)


def english(slug):
    return CoursePage.objects.get(slug=slug, locale__language_code="en")


def tree(page):
    return [page, *page.get_descendants().order_by("path").specific()]


def test_a_second_load_creates_nothing(loaded, db):
    first, second = loaded
    assert second == first


def test_flagship_courses_are_wagtail_localize_translations(loaded, db):
    for slug, languages in LANGUAGES.items():
        pages = tree(english(slug))
        assert len(pages) == 13  # course, 3 modules, 9 lessons
        for lang in languages:
            locale = Locale.objects.get(language_code=lang)
            for page in pages:
                assert missing_segments(page, locale) == 0, (slug, lang, page)
                translated = page.get_translation(locale)
                assert translated.live
                assert translated.title != page.title
    # Languages not asked for stay untranslated (the visitor gets the notice).
    pt = Locale.objects.get(language_code="pt")
    assert not english(INTEGRATION).has_translation(pt)


def test_every_translated_page_answers_in_its_language(loaded, client, admin_user):
    client.force_login(admin_user)  # lessons are for the enrolled and staff
    requested = 0
    for slug, languages in LANGUAGES.items():
        for page in tree(english(slug)):
            for lang in languages:
                translated = page.get_translation(
                    Locale.objects.get(language_code=lang)
                )
                url = translated.url
                assert url.startswith(f"/{lang}/")
                response = client.get(url)
                assert response.status_code == 200, url
                assert escape(translated.title) in response.content.decode(), url
                requested += 1
    assert requested == 13 * 5 + 13 * 3


def test_quiz_text_is_translated(loaded, client, admin_user):
    client.force_login(admin_user)
    ru = Locale.objects.get(language_code="ru")
    lesson = (
        LessonPage.objects.descendant_of(english(TOT).get_translation(ru))
        .live()
        .order_by("path")
    )
    with_quiz = [page for page in lesson if page.quizzes]
    assert len(with_quiz) == 3
    body = client.get(with_quiz[0].url).content.decode()
    assert "Какими принципами здесь руководствуется наращивание потенциала?" in body
    assert "Which principles guide" not in body


def test_every_english_string_has_a_translation(loaded, db):
    """A string added to an English course without its translations would
    stop the demo (MissingDemoText); the data modules cover the courses as
    written, and translate them into something else than English."""
    for spec in COURSES:
        for lang in LANGUAGES.get(spec["slug"], []):
            strings = demo_strings(spec, lang, demo.IMAGE_ALT)
            same = [k for k, v in strings.items() if k == v]
            assert same in ([], ["Dr. Amina Diallo"]), (spec["slug"], lang, same)


def test_topics_and_qualifications_follow_the_language(loaded, db):
    es = Locale.objects.get(language_code="es")
    tot_es = english(TOT).get_translation(es)
    assert "formación de formadores" in set(tot_es.tags.names())
    # The workshop has no Spanish translation: the English one is delivered.
    assert set(tot_es.qualifies_for.all()) == {tot_es, english(WORKSHOP)}
    tot = english(TOT)
    assert {c.slug for c in tot.qualifies_for.all()} == {TOT, WORKSHOP}


def test_workshop_course_stays_a_plain_french_copy(loaded, db):
    workshop = english(WORKSHOP)
    fr = Locale.objects.get(language_code="fr")
    assert workshop.get_translation(fr).live
    assert not TranslationSource.objects.filter(
        object_id=workshop.translation_key
    ).exists()
    assert CoursePage.objects.filter(locale__language_code="fr").count() == 3


def test_french_catalogue_shows_the_french_flagship_titles(loaded, client, db):
    body = client.get("/fr/courses/").content.decode()
    assert "Une approche holistique de l&#x27;intégration" in body
    assert "Renforcement des capacités : outil de formation de formateurs" in body
    body = client.get("/ar/courses/").content.decode()
    assert "تنمية القدرات: أداة تدريب المدربين" in body
    assert client.get("/es/courses/").status_code == 200


def test_english_course_page_links_to_its_french_translation(loaded, client, db):
    en = english(TOT)
    fr = en.get_translation(Locale.objects.get(language_code="fr"))
    body = client.get(en.url).content.decode()
    assert f'href="{fr.url}"' in body
    assert client.get(fr.url).status_code == 200
