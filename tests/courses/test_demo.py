import io

from django.contrib.auth import get_user_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from courses.models import CoursePage, LessonPage
from demo import courses as demo
from home.services import site_ensure


def counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        get_image_model().objects.count(),
        get_user_model().objects.count(),
    )


def test_courses_demo_twice_changes_nothing_the_second_time(db):
    site_ensure()
    demo.load(stdout=io.StringIO(), debug=True)
    first = counts()
    demo.load(stdout=io.StringIO(), debug=True)
    assert counts() == first
    assert CoursePage.objects.filter(locale__language_code="en").count() == 3
    assert CoursePage.objects.filter(locale__language_code="fr").count() == 3
    for slug in ("integration-of-migrants-and-refugees", "capacity-development-tot"):
        course = CoursePage.objects.get(slug=slug, locale__language_code="fr")
        assert LessonPage.objects.descendant_of(course).count() >= 9
        assert (
            sum(len(x.quizzes) for x in LessonPage.objects.descendant_of(course)) >= 3
        )
    tot = CoursePage.objects.get(
        slug="capacity-development-tot", locale__language_code="en"
    )
    assert {c.slug for c in tot.qualifies_for.all()} == {
        "capacity-development-tot",
        "delivering-the-capacity-development-workshop",
    }


def test_french_catalogue_shows_the_french_flagship_titles(client, db):
    site_ensure()
    demo.load(stdout=io.StringIO(), debug=True)
    body = client.get("/fr/courses/").content.decode()
    assert "Une approche holistique de l&#x27;intégration" in body
    assert "Renforcement des capacités : outil de formation de formateurs" in body
    assert client.get("/es/courses/").status_code == 200


def test_english_course_page_links_to_its_french_translation(client, db):
    site_ensure()
    demo.load(stdout=io.StringIO(), debug=True)
    en = CoursePage.objects.get(
        slug="capacity-development-tot", locale__language_code="en"
    )
    fr = en.get_translation(en.locale.__class__.objects.get(language_code="fr"))
    body = client.get(en.url).content.decode()
    assert f'href="{fr.url}"' in body
    assert client.get(fr.url).status_code == 200
