import pytest
from django.core.exceptions import ValidationError

from resources.models import ResourceIndexPage, ResourcePage
from tests.factories import catalogue, home_page, make_resource, resource_index

pytestmark = pytest.mark.django_db


def test_the_library_index_can_be_created_under_the_home_page_only(site):
    assert ResourceIndexPage.can_create_at(home_page("en"))
    assert not ResourceIndexPage.can_create_at(catalogue("en"))


def test_a_home_page_holds_one_library_index(site):
    resource_index("en")
    assert not ResourceIndexPage.can_create_at(home_page("en"))
    assert ResourceIndexPage.can_create_at(home_page("fr"))


def test_resources_live_under_the_library_index_only(site):
    index = resource_index("en")
    assert ResourcePage.can_create_at(index)
    assert not ResourcePage.can_create_at(home_page("en"))
    assert not ResourcePage.can_create_at(catalogue("en"))


def test_a_case_study_requires_its_own_sections(site):
    page = ResourcePage(title="Empty", slug="empty", kind="case_study")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) == {
        "challenge",
        "what_was_done",
        "results",
        "lessons_learned",
    }


def test_a_knowledge_sheet_requires_its_own_sections_not_a_case_studys(site):
    page = ResourcePage(title="Sheet", slug="sheet", kind="knowledge_sheet")
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) == {"practice", "origin", "adaptation"}


def test_a_section_with_only_empty_markup_counts_as_missing(site):
    page = ResourcePage(
        title="Sheet",
        slug="sheet",
        kind="knowledge_sheet",
        practice="<p> </p>",
        origin="<p>From Moldova.</p>",
        adaptation="<p>Adapt.</p>",
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert set(error.value.message_dict) == {"practice"}


def test_an_end_year_before_the_start_year_is_refused(site):
    page = make_resource(title="Plan")
    page.start_year, page.end_year = 2022, 2018
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "end_year" in error.value.message_dict


def test_years_read_as_a_range_or_a_single_year(site):
    assert ResourcePage(start_year=2018, end_year=2022).years == "2018–2022"
    assert ResourcePage(start_year=2020, end_year=2020).years == "2020"
    assert ResourcePage(end_year=2021).years == "2021"
    assert ResourcePage().years == ""
