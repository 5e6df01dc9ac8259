"""The anonymous page cache (relais/page_cache.py) and the bench reference view."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from wagtail.models import PageViewRestriction

from relais import page_cache
from tests.factories import course_lessons, home_page, make_course

HEADER = page_cache.HEADER


@pytest.fixture
def home(site):
    return home_page("en")


def get(client, url="/en/"):
    return client.get(url, HTTP_HOST="localhost")


def test_second_anonymous_visit_is_served_from_the_cache_without_a_query(
    home, client, django_assert_num_queries
):
    assert get(client)[HEADER] == "miss"
    with django_assert_num_queries(0):
        response = get(client)
    assert response.status_code == 200
    assert response[HEADER] == "hit"
    assert home.title.encode() in response.content


def test_publishing_a_page_drops_the_cached_pages(home, client):
    get(client)
    home.title = "A new home title"
    home.save_revision().publish()
    response = get(client)
    assert response[HEADER] == "miss"
    assert b"A new home title" in response.content


def test_saving_a_page_without_publishing_also_drops_the_cached_pages(home, client):
    get(client)
    home.title = "Saved directly"
    home.save()
    assert get(client)[HEADER] == "miss"


def test_a_signed_in_visitor_is_never_served_a_cached_page(home, client, participant):
    get(client)
    client.force_login(participant)
    response = get(client)
    assert HEADER not in response
    assert b"Sign out" in response.content


def test_a_visitor_with_a_pending_message_is_not_served_from_the_cache(home, client):
    get(client)
    client.cookies["messages"] = "anything"
    assert HEADER not in get(client)


def test_each_query_string_is_cached_apart(home, client):
    get(client)
    assert get(client, "/en/?page=2")[HEADER] == "miss"
    assert get(client, "/en/?page=2")[HEADER] == "hit"


def test_an_unknown_query_parameter_bypasses_the_cache(home, client):
    for value in ("a", "b"):
        response = get(client, f"/en/?utm_source={value}")
        assert response.status_code == 200
        assert HEADER not in response


def test_a_search_bypasses_the_cache_but_an_empty_one_does_not(home, client):
    assert HEADER not in get(client, "/en/?q=integration")
    assert get(client, "/en/?q=&page=2")[HEADER] == "miss"
    assert get(client, "/en/?page=2&q=")[HEADER] == "hit"


def test_the_same_filters_in_another_order_share_one_entry(home, client):
    assert get(client, "/en/?kind=blended&language=fr")[HEADER] == "miss"
    assert get(client, "/en/?language=fr&kind=blended")[HEADER] == "hit"


def test_each_language_is_cached_apart(site, client):
    get(client, "/en/")
    assert get(client, "/fr/")[HEADER] == "miss"


def test_a_zero_timeout_turns_the_cache_off(home, client, settings):
    settings.RELAIS_PAGE_CACHE_SECONDS = 0
    get(client)
    assert HEADER not in get(client)


def test_lesson_pages_are_not_cacheable(site):
    course = make_course(modules=1, lessons_per_module=1)
    assert page_cache.page_is_cacheable(course.specific)
    assert not page_cache.page_is_cacheable(course_lessons(course)[0])


def test_a_page_with_a_view_restriction_is_not_cacheable(home):
    PageViewRestriction.objects.create(
        page=home, restriction_type=PageViewRestriction.LOGIN
    )
    assert not page_cache.page_is_cacheable(home)


def _cacheable_request():
    request = RequestFactory().get("/en/")
    page_cache.mark_cacheable(request)
    return request


def _html(content=b"<p>page</p>"):
    from django.http import HttpResponse

    return HttpResponse(content, content_type="text/html; charset=utf-8")


def test_a_response_holding_a_csrf_token_is_not_stored():
    request = _cacheable_request()
    assert page_cache.response_is_cacheable(request, _html())
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    assert not page_cache.response_is_cacheable(request, _html())


def test_a_response_setting_a_cookie_is_not_stored():
    response = _html()
    response.set_cookie("x", "1")
    assert not page_cache.response_is_cacheable(_cacheable_request(), response)


def test_a_response_of_an_unmarked_request_is_not_stored():
    request = RequestFactory().get("/en/")
    assert not page_cache.response_is_cacheable(request, _html())


def test_the_bench_reference_is_a_constant_page_without_queries(
    db, client, django_assert_num_queries
):
    with django_assert_num_queries(0):
        first = client.get("/bench/reference/")
    assert first.status_code == 200
    assert first.content == client.get("/bench/reference/").content
    assert client.post("/bench/reference/").status_code == 405


def test_an_anonymous_course_page_is_served_from_the_cache(site, client):
    course = make_course(modules=1, lessons_per_module=1)
    assert client.get(course.url)[HEADER] == "miss"
    assert client.get(course.url)[HEADER] == "hit"


def test_a_visitor_is_offered_a_sign_in_link_back_to_the_course_not_a_form(
    site, client
):
    course = make_course(modules=1, lessons_per_module=1)
    body = client.get(course.url).content.decode()
    assert f"/en/accounts/login/?next={course.url.replace('/', '%2F')}" in body
    assert "csrfmiddlewaretoken" not in body


def test_a_save_data_visitor_is_not_served_the_shared_page(home, client):
    assert get(client)[HEADER] == "miss"
    response = client.get("/en/", HTTP_HOST="localhost", HTTP_SAVE_DATA="on")
    assert response.status_code == 200 and HEADER not in response


def test_a_save_data_page_is_not_stored_for_other_visitors(home, client):
    client.get("/en/", HTTP_HOST="localhost", HTTP_SAVE_DATA="on")
    assert get(client)[HEADER] == "miss"
