import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import make_resource, resource_index

pytestmark = pytest.mark.django_db

EN = "/en/resources/"


def titles(response) -> list[str]:
    html = response.content.decode()
    return re.findall(r'<h2><a href="[^"]*"[^>]*>([^<]+)</a></h2>', html)


@pytest.fixture
def library(site, themes):
    """Four English resources, two of them translated into French."""
    costa_rica = make_resource(
        title="Costa Rica integration plan",
        slug="costa-rica",
        kind="case_study",
        country=["CR"],
        region="latin_america_caribbean",
        themes=[themes["integration"]],
        start_year=2018,
        end_year=2022,
    )
    diaspora = make_resource(
        title="Diaspora policies",
        slug="diaspora",
        kind="knowledge_sheet",
        country=["MG", "MW", "MD"],
        region="global",
        themes=[themes["diaspora"]],
        summary="Engaging the diaspora in Moldova and Malawi.",
    )
    mexico = make_resource(
        title="Unaccompanied children",
        slug="mexico",
        kind="case_study",
        country=["MX"],
        region="latin_america_caribbean",
        themes=[themes["child"]],
        challenge="<p>Children arriving alone at the northern border.</p>",
    )
    thailand = make_resource(
        title="Victim protection",
        slug="thailand",
        kind="case_study",
        country=["TH"],
        region="asia",
        themes=[themes["integration"], themes["child"]],
    )
    resource_index("fr")
    from wagtail.models import Locale

    fr = Locale.objects.get(language_code="fr")
    for page, title in [(costa_rica, "Plan d’intégration du Costa Rica")]:
        translation = page.copy_for_translation(fr)
        translation.title = title
        translation.save_revision().publish()
    return {
        "costa_rica": costa_rica,
        "diaspora": diaspora,
        "mexico": mexico,
        "thailand": thailand,
    }


def test_the_index_lists_every_published_resource_with_its_kind_and_country(
    client, library
):
    make_resource(title="Draft resource", live=False)
    response = client.get(EN)
    assert response.status_code == 200
    assert sorted(titles(response)) == [
        "Costa Rica integration plan",
        "Diaspora policies",
        "Unaccompanied children",
        "Victim protection",
    ]
    html = response.content.decode()
    assert "Knowledge sheet" in html
    assert "Costa Rica" in html and "2018–2022" in html
    assert "Integration" in html


def test_filtering_by_kind_keeps_only_that_kind(client, library):
    response = client.get(EN, {"kind": "knowledge_sheet"})
    assert titles(response) == ["Diaspora policies"]


def test_filtering_by_theme_keeps_resources_with_that_theme(client, library, themes):
    response = client.get(EN, {"theme": themes["child"].pk})
    assert titles(response) == ["Unaccompanied children", "Victim protection"]


def test_filtering_by_region(client, library):
    response = client.get(EN, {"region": "asia"})
    assert titles(response) == ["Victim protection"]


def test_filtering_by_country_matches_one_of_several_countries(client, library):
    response = client.get(EN, {"country": "MW"})
    assert titles(response) == ["Diaspora policies"]


def test_filters_combine(client, library, themes):
    response = client.get(
        EN,
        {
            "kind": "case_study",
            "region": "latin_america_caribbean",
            "theme": themes["integration"].pk,
        },
    )
    assert titles(response) == ["Costa Rica integration plan"]


def test_the_form_keeps_the_chosen_filters_selected(client, library, themes):
    response = client.get(EN, {"kind": "case_study", "country": "MX"})
    html = response.content.decode()
    assert re.search(r'<option value="case_study" selected>', html)
    assert re.search(r'<option value="MX" selected>', html)


def test_the_country_dropdown_offers_the_countries_resources_cover(client, library):
    html = client.get(EN).content.decode()
    assert '<option value="MD">' in html
    assert '<option value="FR">' not in html


def test_search_narrows_the_list(client, library):
    response = client.get(EN, {"q": "northern border"})
    assert titles(response) == ["Unaccompanied children"]


def test_search_combines_with_filters(client, library):
    response = client.get(EN, {"q": "Moldova", "kind": "case_study"})
    assert titles(response) == []
    response = client.get(EN, {"q": "Moldova", "kind": "knowledge_sheet"})
    assert titles(response) == ["Diaspora policies"]


def test_a_filter_with_no_match_shows_an_empty_state(client, library):
    response = client.get(EN, {"region": "pacific"})
    assert response.status_code == 200
    assert titles(response) == []
    assert "No resources match these filters." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"country": "ZZ"},
        {"kind": "<script>alert(1)</script>"},
        {"theme": "999999"},
        {"theme": "abc"},
        {"region": "atlantis"},
    ],
)
def test_a_bad_filter_value_is_ignored_with_a_message(client, library, params):
    response = client.get(EN, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "have been ignored" in html
    assert "<script>alert" not in html
    assert len(titles(response)) == 4


@pytest.mark.parametrize("page", ["abc", "0", "9999"])
def test_a_bad_page_number_never_fails(client, library, page):
    response = client.get(EN, {"page": page})
    assert response.status_code == 200
    assert titles(response)


def test_a_long_list_is_paginated_and_the_links_keep_the_filters(client, site):
    for n in range(25):
        make_resource(title=f"Sheet {n:02d}", kind="knowledge_sheet")
    first = client.get(EN, {"kind": "knowledge_sheet"})
    assert len(titles(first)) == 20
    assert 'href="?kind=knowledge_sheet&amp;page=2"' in first.content.decode()
    second = client.get(EN, {"kind": "knowledge_sheet", "page": 2})
    assert len(titles(second)) == 5


def test_the_french_index_shows_the_french_translation_first_then_the_rest(
    client, library
):
    response = client.get("/fr/resources/")
    assert response.status_code == 200
    listed = titles(response)
    assert listed[0] == "Plan d’intégration du Costa Rica"
    assert "Costa Rica integration plan" not in listed
    assert len(listed) == 4


def test_an_english_theme_id_filters_the_french_index_too(client, library, themes):
    response = client.get("/fr/resources/", {"theme": themes["integration"].pk})
    assert titles(response) == ["Plan d’intégration du Costa Rica", "Victim protection"]


def test_themes_show_in_the_visitors_language(client, library):
    html = client.get("/fr/resources/").content.decode()
    assert "Intégration" in html


def _count_queries(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(EN, {"kind": "case_study"})
    assert response.status_code == 200
    return len(context)


def test_the_index_runs_the_same_number_of_queries_for_3_or_30_resources(
    client, site, themes
):
    for n in range(3):
        make_resource(title=f"Case {n}", themes=[themes["integration"]], country=["CR"])
    client.get(EN)  # warm the per-process caches (content types, site)
    with_three = _count_queries(client)
    for n in range(3, 30):
        make_resource(
            title=f"Case {n}",
            themes=[themes["integration"], themes["child"]],
            country=["CR", "MX"],
        )
    client.get(EN)  # new pages drop the cached routes: warm again
    with_thirty = _count_queries(client)
    assert with_three == with_thirty
