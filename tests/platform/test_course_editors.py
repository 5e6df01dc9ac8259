"""Course editors and accounts staff create (issue 18, item 17): the
"Course editors" role publishes courses without waiting for a moderator,
and may still submit for moderation; the user form says what each role can
do; an account staff create signs in with the password staff set, or gets
one mail with a link to choose a password, never a confirmation mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from wagtail.models import WorkflowState

from accounts.models import User
from courses.models import LessonPage
from courses.roles import COURSE_EDITORS, course_editors_ensure
from tests.conftest import PASSWORD, reauthenticate
from tests.factories import course_lessons, make_course

NEW_PASSWORD = "a-long-new-passphrase-42"


@pytest.fixture
def course(site):
    return make_course(modules=1, lessons_per_module=1)


@pytest.fixture
def course_editor(course, django_user_model):
    group = course_editors_ensure()
    user = User.objects.create_user(
        email="camille@example.org", password=PASSWORD, first_name="Camille"
    )
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    user.groups.add(group)
    return user


def _lesson_edit_data(lesson, **action) -> dict:
    from wagtail.test.utils.form_data import (
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    return (
        nested_form_data(
            {
                "title": lesson.title + " (revised)",
                "slug": lesson.slug,
                "estimated_minutes": 20,
                "body": streamfield([("rich_text", rich_text("<p>New text.</p>"))]),
                "comments": inline_formset([]),
            }
        )
        | action
    )


def test_a_course_editor_publishes_a_lesson(client, course, course_editor):
    lesson = course_lessons(course)[0]
    client.force_login(course_editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        _lesson_edit_data(lesson, **{"action-publish": "action-publish"}),
    )
    assert response.status_code == 302
    lesson = LessonPage.objects.get(pk=lesson.pk)
    assert lesson.live and lesson.title.endswith("(revised)")
    assert lesson.estimated_minutes == 20


def test_a_course_editor_may_still_submit_for_moderation(client, course, course_editor):
    lesson = course_lessons(course)[0]
    client.force_login(course_editor)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        _lesson_edit_data(lesson, **{"action-submit": "action-submit"}),
    )
    assert response.status_code == 302
    state = WorkflowState.objects.get(
        base_content_type__isnull=False, object_id=str(lesson.pk)
    )
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert LessonPage.objects.get(pk=lesson.pk).title == lesson.title  # not published


def test_wagtails_editors_cannot_publish(client, course):
    lesson = course_lessons(course)[0]
    editor = User.objects.create_user(email="ed@example.org", password=PASSWORD)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),
        _lesson_edit_data(lesson, **{"action-publish": "action-publish"}),
    )
    assert LessonPage.objects.get(pk=lesson.pk).title == lesson.title


def test_the_role_reaches_the_courses_only(course, course_editor):
    from wagtail.models import Page

    home = Page.objects.get(pk=course.get_parent().get_parent().pk)
    assert not home.permissions_for_user(course_editor).can_edit()
    assert course.permissions_for_user(course_editor).can_publish()


def test_the_user_form_says_what_each_role_can_do(client, site, admin_user, course):
    course_editors_ensure()
    client.force_login(admin_user)
    body = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert "Course editors: write and publish courses" in body
    assert "Editors: write pages and submit them for moderation; cannot publish" in body
    assert "Programme staff: see the programme" in body
    assert "Leave both password fields blank to email them a link" in body


def _create(client, **fields):
    data = {
        "email": "new.editor@example.org",
        "first_name": "Noor",
        "last_name": "Haddad",
        "password1": "",
        "password2": "",
        "groups": [Group.objects.get(name=COURSE_EDITORS).pk],
        **fields,
    }
    return client.post(reverse("wagtailusers_users:add"), data)


def _sign_in(client, email: str, password: str):
    client.logout()
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_an_account_with_a_password_from_staff_signs_in_at_once(
    client, site, admin_user, course
):
    course_editors_ensure()
    client.force_login(admin_user)
    reauthenticate(client)
    response = _create(client, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert response.status_code == 302, response.content
    assert mail.outbox == []

    response = _sign_in(client, "new.editor@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
    assert mail.outbox == []  # no confirmation mail either
    assert client.get("/admin/").status_code == 200


def test_an_account_without_a_password_gets_one_mail_to_choose_it(
    client, site, admin_user, course, django_capture_on_commit_callbacks
):
    course_editors_ensure()
    client.force_login(admin_user)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _create(client)
    assert response.status_code == 302
    user = User.objects.get(email="new.editor@example.org")
    assert not user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["new.editor@example.org"]
    assert "Noor" in message.body
    link = re.search(r"http\S+/password/reset/key/\S+", message.body).group(0)

    client.logout()
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else "/" + path
    response = client.post(
        form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert "confirm-email" not in response["Location"]
    assert len(mail.outbox) == 1  # that one mail only
    assert client.get("/admin/").status_code == 200


def test_a_participant_cannot_create_accounts(client, site, participant, course):
    course_editors_ensure()
    client.force_login(participant)
    response = _create(client, password1=NEW_PASSWORD, password2=NEW_PASSWORD)
    assert response.status_code in {302, 403}
    assert not User.objects.filter(email="new.editor@example.org").exists()
