"""Pages routed by Wagtail, with the catalogue's `route()` override
(courses.models.CourseIndexPage): a course, module or lesson found in one
query, and never a stale answer after a page, a view restriction or a site
changes."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction, Site

from tests.factories import course_lessons, make_course, make_enrolment


@pytest.fixture
def course(site):
    return make_course(title="Routing course", modules=2, lessons_per_module=2)


@pytest.fixture
def reader(client, participant, course):
    make_enrolment(user=participant, course=course)
    client.force_login(participant)
    return client


def queries(client, url, status=200):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return len(captured), response


def test_the_catalogue_finds_a_lesson_in_one_query(
    rf, course, django_assert_num_queries
):
    from courses.models import CourseIndexPage

    lesson = course_lessons(course)[1]
    catalogue = CourseIndexPage.objects.get()
    below = lesson.url_path[len(catalogue.url_path) :].strip("/").split("/")
    request = rf.get(lesson.url)
    with django_assert_num_queries(1):
        result = catalogue.route(request, below)
    assert result.page == lesson
    assert type(result.page) is type(lesson)


def test_a_lesson_asked_for_at_a_module_address_is_not_found(reader, course):
    lesson = course_lessons(course)[0]
    queries(reader, f"{course.url}{lesson.slug}/", status=404)


def test_every_page_of_a_course_answers_at_its_address(reader, course):
    module = course.get_children().first()
    for page in (course, module, *course_lessons(course)):
        _, response = queries(reader, page.url)
        assert page.title.encode() in response.content


def test_an_unpublished_lesson_is_gone_even_when_its_route_was_cached(reader, course):
    lesson = course_lessons(course)[1]
    url = lesson.url
    queries(reader, url)
    lesson.unpublish()
    queries(reader, url, status=404)


def test_a_renamed_lesson_answers_at_its_new_address_only(reader, course):
    lesson = course_lessons(course)[1]
    old_url = lesson.url
    queries(reader, old_url)
    lesson.slug = "a-new-slug"
    lesson.save_revision().publish()
    queries(reader, old_url, status=404)
    queries(
        reader, old_url.replace(old_url.rstrip("/").rsplit("/", 1)[1], "a-new-slug")
    )


def test_a_view_restriction_added_after_the_route_was_cached_applies(
    client, course, participant
):
    url = course.url
    assert client.get(url).status_code == 200
    staff = Group.objects.create(name="Route test staff")
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(staff)
    client.force_login(participant)
    assert client.get(url).status_code == 302  # Wagtail sends to the login page
    participant.groups.add(staff)
    assert client.get(url).status_code == 200
    restriction.delete()
    client.logout()
    assert client.get(url).status_code == 200


def test_a_site_change_is_seen_at_once(client, course):
    url = course.url
    assert client.get(url).status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.hostname, site.is_default_site = "elsewhere.example", False
    site.save()
    assert client.get(url).status_code == 404


def test_the_outline_escapes_lesson_titles(reader, course):
    lesson = course_lessons(course)[0]
    lesson.title = '<img src="http://127.0.0.1:9/x"> & co'
    lesson.save_revision().publish()
    other = course_lessons(course)[1]
    body = reader.get(other.url).content.decode()
    assert "&lt;img src=&quot;http://127.0.0.1:9/x&quot;&gt; &amp; co" in body
    assert '<img src="http://127.0.0.1:9/x">' not in body
    assert f'href="{lesson.url}"' in body
