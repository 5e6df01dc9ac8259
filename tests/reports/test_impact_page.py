import pytest
from django.core.cache import cache

from demo import reports as demo
from reports import selectors
from reports.models import ImpactPage

pytestmark = pytest.mark.django_db


class Out:
    def write(self, text):
        pass


def test_the_demo_creates_the_impact_page_in_english_and_french_once(site):
    demo.load(stdout=Out(), debug=True)
    demo.load(stdout=Out(), debug=True)
    pages = ImpactPage.objects.all()
    assert sorted(p.locale.language_code for p in pages) == ["en", "fr"]
    assert {p.slug for p in pages} == {"impact"}


def test_the_impact_page_shows_the_same_numbers_as_the_reports(client, programme):
    demo.load(stdout=Out(), debug=True)
    response = client.get("/en/impact/")
    assert response.status_code == 200
    numbers = selectors.impact_numbers()
    assert response.context["numbers"] == numbers
    html = response.content.decode()
    assert f'data-number="cascade_reach">{numbers["cascade_reach"]}<' in html


def test_impact_numbers_are_cached_per_language(programme):
    numbers = selectors.impact_numbers_cached(language="fr")
    assert cache.get("reports:impact:fr") == numbers
    assert cache.get("reports:impact:en") is None
