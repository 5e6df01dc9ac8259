import io

import pytest
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, Revision

from demo import resources as demo
from resources.models import ResourceIndexPage, ResourcePage, Theme

pytestmark = pytest.mark.django_db

LINKED_FROM_COURSES = [
    "costa-rica-national-integration-plan",
    "diaspora-engagement-policies",
    "child-protection-unaccompanied-children",
]


def _snapshot():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        Theme.objects.count(),
        get_document_model().objects.count(),
        sorted(ResourcePage.objects.values_list("pk", "title", "last_published_at")),
    )


def test_the_demo_loads_the_library_in_english_and_french_and_a_second_run_changes_nothing(
    client, site
):
    demo.load(stdout=io.StringIO(), debug=True)
    # One library per language (Arabic included).
    assert ResourceIndexPage.objects.count() == Locale.objects.count() == 6
    english = ResourcePage.objects.filter(locale__language_code="en")
    french = ResourcePage.objects.filter(locale__language_code="fr")
    assert english.live().count() >= 8
    assert french.live().count() == english.count()
    for slug in LINKED_FROM_COURSES:
        assert english.filter(slug=slug).exists(), slug
    assert Theme.objects.filter(locale__language_code="fr").count() >= 8
    assert get_document_model().objects.exists()

    before = _snapshot()
    demo.load(stdout=io.StringIO(), debug=True)
    assert _snapshot() == before


def test_the_demo_library_answers_in_every_language(client, site):
    demo.load(stdout=io.StringIO(), debug=True)
    for language in ["en", "fr", "es", "pt", "ru"]:
        response = client.get(f"/{language}/resources/")
        assert response.status_code == 200, language
    french = client.get("/fr/resources/").content.decode()
    assert "Un plan national d’intégration participatif (Costa Rica)" in french
    searched = client.get("/en/resources/", {"q": "cholera"}).content.decode()
    assert "Safe mobility during a health crisis" in searched
    assert "Costa Rica" not in searched.split("resource-cards", 1)[-1]
