import pytest
from django.urls import reverse

from enrolment import services
from enrolment.models import Enrolment, LessonProgress
from tests.conftest import PASSWORD
from tests.factories import make_cohort, make_enrolment


def test_anonymous_enrol_goes_to_signup_and_back_to_the_course(client, course):
    response = client.post(reverse("course_enrol", kwargs={"course_id": course.pk}))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_signup"))
    assert "next=" in response["Location"]
    assert course.url.rstrip("/") in response["Location"].replace("%2F", "/")


def test_one_click_enrol_when_logged_in(client, participant, course):
    client.force_login(participant)
    response = client.post(reverse("course_enrol", kwargs={"course_id": course.pk}))
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=participant, course=course)
    assert enrolment.source == Enrolment.Source.SELF


def test_enrol_answers_404_for_an_unknown_course(client, participant, site):
    client.force_login(participant)
    response = client.post(reverse("course_enrol", kwargs={"course_id": 999999}))
    assert response.status_code == 404


def test_key_form_enrols_and_lands_on_the_course(client, participant, course):
    make_cohort(course=course, enrolment_key="ABC-123")
    client.force_login(participant)
    response = client.post(reverse("enrol_key"), {"key": "abc-123"})
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=participant, course=course).exists()


def test_key_form_shows_an_error_for_a_wrong_key(client, participant, course):
    client.force_login(participant)
    response = client.post(reverse("enrol_key"), {"key": "nope"})
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_mark_done_records_progress_and_goes_to_the_next_lesson(
    client, participant, course, lessons
):
    enrolment = make_enrolment(user=participant, course=course)
    client.force_login(participant)
    url = reverse("lesson_done", kwargs={"lesson_id": lessons[0].pk})
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == lessons[1].url
    client.post(url)
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1


def test_mark_done_answers_404_when_not_enrolled(client, outsider, course, lessons):
    client.force_login(outsider)
    response = client.post(reverse("lesson_done", kwargs={"lesson_id": lessons[0].pk}))
    assert response.status_code == 404
    assert not LessonProgress.objects.exists()


def test_mark_done_refuses_get(client, participant, course, lessons):
    make_enrolment(user=participant, course=course)
    client.force_login(participant)
    response = client.get(reverse("lesson_done", kwargs={"lesson_id": lessons[0].pk}))
    assert response.status_code == 405


@pytest.fixture
def owned(participant, course):
    return make_enrolment(user=participant, course=course)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("participant", 200),
        ("other_participant", 404),
        ("outsider", 404),
        ("trainer", 404),
        ("admin_user", 200),
    ],
)
def test_withdraw_page_is_only_for_the_owner_and_staff(
    request, client, owned, cohort, who, status
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("enrolment_withdraw", kwargs={"pk": owned.pk}))
    assert response.status_code == status


def test_withdraw_page_sends_anonymous_visitors_to_login(client, owned):
    response = client.get(reverse("enrolment_withdraw", kwargs={"pk": owned.pk}))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_another_participant_cannot_withdraw_an_enrolment(
    client, owned, other_participant
):
    client.force_login(other_participant)
    response = client.post(reverse("enrolment_withdraw", kwargs={"pk": owned.pk}))
    assert response.status_code == 404
    owned.refresh_from_db()
    assert owned.status == Enrolment.Status.ACTIVE


def test_the_owner_withdraws(client, owned, participant):
    client.force_login(participant)
    response = client.post(reverse("enrolment_withdraw", kwargs={"pk": owned.pk}))
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.status == Enrolment.Status.WITHDRAWN


def test_dashboard_needs_login(client, site):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302


def test_dashboard_shows_my_courses_with_progress_not_others(
    client, participant, other_participant, course, lessons, site
):
    from tests.factories import make_course

    mine = make_enrolment(user=participant, course=course)
    services.lesson_complete(enrolment=mine, lesson=lessons[0])
    make_enrolment(user=other_participant, course=make_course(title="Secret course"))
    client.force_login(participant)
    response = client.get(reverse("dashboard"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Integration" in body
    assert "1 of 4 lessons done (25%)" in body
    assert "Secret course" not in body


def test_dashboard_renders_sections_from_the_hook(client, participant, site):
    from enrolment import hooks

    def section(request, user):
        return [("enrolment/enrol_key.html", {"x": 1})]

    hooks.dashboard_sections.connect(section)
    try:
        client.force_login(participant)
        response = client.get(reverse("dashboard"))
    finally:
        hooks.dashboard_sections.disconnect(section)
    assert "Join with an enrolment key" in response.content.decode()


def test_dashboard_query_count_does_not_grow_with_enrolments(
    client, participant, django_assert_max_num_queries, site
):
    from tests.factories import make_course

    client.force_login(participant)
    courses = [
        make_course(title=f"C{i}", modules=1, lessons_per_module=2) for i in range(3)
    ]
    make_enrolment(user=participant, course=courses[0])
    client.get(reverse("dashboard"))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("dashboard"))
    for c in courses[1:]:
        make_enrolment(user=participant, course=c)
    # The two new courses' outlines are built together: two queries, not two
    # per course; then they come from the cache.
    with CaptureQueriesContext(connection) as cold:
        client.get(reverse("dashboard"))
    assert len(cold.captured_queries) == len(one.captured_queries) + 2
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("dashboard"))
    assert len(three.captured_queries) == len(one.captured_queries)


def test_continue_where_i_left_off_follows_the_last_lesson_viewed(
    client, participant, course, lessons
):
    make_enrolment(user=participant, course=course)
    client.force_login(participant)
    client.get(lessons[2].url)
    enrolment = Enrolment.objects.get(user=participant)
    assert enrolment.last_lesson_id == lessons[2].pk
    response = client.get(reverse("dashboard"))
    assert lessons[2].url in response.content.decode()


def test_login_form_fixture_password_works(client, participant):
    assert client.login(email=participant.email, password=PASSWORD)


def test_a_completion_answers_success_when_a_subscriber_fails_after_commit(
    client, participant, course, lessons, django_capture_on_commit_callbacks
):
    from enrolment import hooks

    def broken_subscriber(**kwargs):
        raise ConnectionError("a subscriber's service is down")

    enrolment = make_enrolment(user=participant, course=course)
    client.force_login(participant)
    hooks.on_course_completed.connect_after_commit(broken_subscriber)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            for lesson in lessons:
                response = client.post(
                    reverse("lesson_done", kwargs={"lesson_id": lesson.pk})
                )
                assert response.status_code == 302
    finally:
        hooks.on_course_completed.disconnect(broken_subscriber)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
