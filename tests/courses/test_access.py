from django.test import RequestFactory


def test_anonymous_visitor_is_sent_to_sign_in_with_next(client, lessons):
    response = client.get(lessons[0].url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert f"next={lessons[0].url}" in response["Location"]


def test_signed_in_participant_not_enrolled_gets_403_with_link_to_course(
    client, participant, course, lessons
):
    client.force_login(participant)
    response = client.get(lessons[0].url)
    assert response.status_code == 403
    assert course.url in response.content.decode()
    assert "Lesson 1.1 text." not in response.content.decode()


def test_participant_allowed_by_the_policy_reads_the_lesson(client, allow, lessons):
    client.force_login(allow)
    response = client.get(lessons[0].url)
    assert response.status_code == 200
    assert "Lesson 1.1 text." in response.content.decode()


def test_another_participant_is_still_refused_when_one_is_allowed(
    client, allow, other_participant, lessons
):
    client.force_login(other_participant)
    assert client.get(lessons[0].url).status_code == 403


def test_editor_reads_every_lesson(client, editor, lessons):
    client.force_login(editor)
    assert client.get(lessons[-1].url).status_code == 200


def test_editor_preview_of_a_lesson_renders(editor, lessons):
    lesson = lessons[-1]
    request = RequestFactory().get("/")
    request.user = editor
    response = lesson.serve_preview(request, lesson.default_preview_mode)
    response.render()
    assert response.status_code == 200
    assert "Check your understanding" in response.content.decode()


def test_admin_edit_page_loads_for_a_lesson_with_a_quiz(client, editor, lessons):
    client.force_login(editor)
    response = client.get(f"/admin/pages/{lessons[-1].pk}/edit/")
    assert response.status_code == 200


def test_syllabus_is_public_with_module_and_lesson_titles(client, course):
    body = client.get(course.url).content.decode()
    assert "Module 2" in body and "Lesson 2.2" in body
    assert "Lesson 1.1 text." not in body


def test_course_page_shows_no_enrolment_panel_without_a_receiver(client, course):
    from courses import access

    with access.course_enrolment_panel.replaced(None):
        body = client.get(course.url).content.decode()
    assert "enrolment-panel" not in body


def test_course_page_renders_the_enrolment_panel_from_the_hook(client, course):
    from courses import access

    def panel(*, user, course, request):
        return {
            "status": None,
            "enrol_url": "/en/enrol/9/",
            "key_url": "/en/key/9/",
            "continue_url": None,
            "message": "Open to all.",
        }

    with access.course_enrolment_panel.replaced(panel):
        body = client.get(course.url).content.decode()
    assert 'action="/en/enrol/9/"' in body and 'action="/en/key/9/"' in body
    assert "Open to all." in body and "csrfmiddlewaretoken" in body


def test_lesson_shows_progress_and_mark_done_form_from_the_provider(
    client, allow, course, lessons
):
    from courses import access

    def provider(*, user, course, lesson, grant):
        return {
            "done_lesson_ids": {lessons[0].pk},
            "lessons_done": 1,
            "lessons_total": 4,
            "percent": 25,
            "lesson_done": False,
            "mark_done_url": "/en/done/1/",
            "module_percent": {},
        }

    with access.lesson_progress_provider.replaced(provider):
        client.force_login(allow)
        body = client.get(lessons[1].url).content.decode()
    assert 'value="25"' in body and 'action="/en/done/1/"' in body
    assert 'class="done"' in body


def test_lesson_navigation_crosses_modules(client, allow, lessons):
    client.force_login(allow)
    body = client.get(lessons[1].url).content.decode()  # Lesson 1.2
    assert f'rel="prev" href="{lessons[0].url}"' in body
    assert f'rel="next" href="{lessons[2].url}"' in body  # Lesson 2.1
