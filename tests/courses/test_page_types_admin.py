"""Where each page type goes, said in the admin (issue 18, item 12): the page
types describe themselves, and adding one where it cannot go says where it
goes instead of Wagtail's general "you do not have permission"."""

from __future__ import annotations

from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage
from tests.factories import catalogue, course_lessons, make_course


def test_every_course_page_type_says_where_it_goes():
    for model in (CourseIndexPage, CoursePage, ModulePage, LessonPage):
        assert "catalogue → course → module → lesson" in str(
            model.get_page_description()
        )


def test_a_lesson_added_under_the_catalogue_is_explained(client, admin_user, site):
    index = catalogue("en")
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{index.pk}/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "A lesson cannot be added under a course catalogue." in body
    assert "A lesson goes under: module." in body
    assert "do not have permission" not in body
    assert not LessonPage.objects.exists()


def test_an_allowed_page_type_opens_wagtails_editor(client, admin_user, site):
    course = make_course(modules=1, lessons_per_module=1)
    module = course_lessons(course)[0].get_parent()
    client.force_login(admin_user)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{module.pk}/")
    assert response.status_code == 200
    assert "cannot be added" not in response.content.decode()


def test_a_participant_gets_no_admin_page(client, participant, site):
    index = catalogue("en")
    client.force_login(participant)
    response = client.get(f"/admin/pages/add/courses/lessonpage/{index.pk}/")
    assert response.status_code in {302, 403}
    assert "cannot be added" not in response.content.decode()
