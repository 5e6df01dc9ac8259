"""Trainer rules (issue 15): nobody becomes a trainer by signing up and
guessing quiz answers, a withdrawn trainer can act on nothing and sees no
participant data, and a trainer's invitations are capped per day."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cascades.models import TrainerQualification, TrainingSession
from cascades.services import cohort_invite, qualification_withdraw, session_record
from courses.models import QuizAttempt
from courses.quiz import quiz_questions
from enrolment.models import Enrolment, Invitation
from tests.factories import course_lessons, make_cohort, make_enrolment


@pytest.fixture
def my_cohort(qualified_trainer, workshop, expert_cohort):
    return make_cohort(
        course=workshop, name="Mine", trainer=qualified_trainer, parent=expert_cohort
    )


@pytest.fixture
def my_participant(my_cohort, participant):
    return make_enrolment(user=participant, course=my_cohort.course, cohort=my_cohort)


@pytest.fixture
def my_session(my_cohort, qualified_trainer):
    return TrainingSession.objects.create(
        cohort=my_cohort,
        held_on=datetime.date(2025, 1, 1),
        place="Limbe",
        duration_hours=3,
        participants_women=2,
        created_by=qualified_trainer,
    )


@pytest.fixture
def withdrawn_trainer(qualified_trainer, workshop, tot_course, admin_user):
    for qualification in TrainerQualification.objects.filter(user=qualified_trainer):
        qualification_withdraw(qualification=qualification, withdrawn_by=admin_user)
    return qualified_trainer


def _id_views(cohort, enrolment, session):
    """Every trainer view that takes an id: (method, url)."""
    return [
        ("get", reverse("trainer_cohort", args=[cohort.pk])),
        ("post", reverse("trainer_cohort_invite", args=[cohort.pk])),
        ("get", reverse("trainer_participant", args=[cohort.pk, enrolment.pk])),
        ("get", reverse("trainer_session_record", args=[cohort.pk])),
        ("post", reverse("trainer_session_record", args=[cohort.pk])),
        ("get", reverse("trainer_session", args=[session.pk])),
        ("post", reverse("trainer_session_certificates", args=[session.pk])),
    ]


SESSION_POST = {
    "held_on": "2025-02-01",
    "place": "Buea",
    "duration_hours": "2",
    "participants_women": "3",
    "participants_men": "0",
    "participants_other": "0",
    "attendees_text": "Ann Ebai, ann@example.org",
}


def _ask_every_id_view(client, views):
    statuses = {}
    for method, url in views:
        data = {"emails": "ann@example.org"} if "invite" in url else SESSION_POST
        response = client.post(url, data) if method == "post" else client.get(url)
        statuses[(method, url)] = response.status_code
    return statuses


# --- A withdrawn trainer ------------------------------------------------------


def test_a_withdrawn_trainer_gets_404_from_every_view_that_takes_an_id(
    client, withdrawn_trainer, my_cohort, my_participant, my_session
):
    client.force_login(withdrawn_trainer)
    statuses = _ask_every_id_view(
        client, _id_views(my_cohort, my_participant, my_session)
    )
    assert set(statuses.values()) == {404}, statuses
    assert not Invitation.objects.exists()
    assert TrainingSession.objects.count() == 1


def test_an_outsider_gets_404_from_every_view_that_takes_an_id(
    client, outsider, my_cohort, my_participant, my_session
):
    client.force_login(outsider)
    statuses = _ask_every_id_view(
        client, _id_views(my_cohort, my_participant, my_session)
    )
    assert set(statuses.values()) == {404}, statuses
    assert not Invitation.objects.exists()


def test_the_same_views_answer_the_qualified_trainer(
    client, qualified_trainer, my_cohort, my_participant, my_session
):
    client.force_login(qualified_trainer)
    views = _id_views(my_cohort, my_participant, my_session)
    statuses = _ask_every_id_view(client, views)
    assert 404 not in statuses.values(), statuses


def test_a_withdrawn_trainer_cannot_open_a_cohort(client, withdrawn_trainer, workshop):
    client.force_login(withdrawn_trainer)
    assert client.get(reverse("trainer_cohort_open")).status_code == 404
    response = client.post(
        reverse("trainer_cohort_open"),
        {"course": workshop.pk, "name": "Again", "language": "en", "mode": "online"},
    )
    assert response.status_code == 404
    assert not workshop.cohorts.filter(name="Again").exists()


def test_a_withdrawn_trainers_home_shows_their_record_and_no_participant_data(
    client, withdrawn_trainer, my_cohort, my_participant, my_session
):
    client.force_login(withdrawn_trainer)
    body = client.get(reverse("trainer_home")).content.decode()
    assert "was withdrawn on" in body
    assert "Delivering the workshop" in body  # their own record
    assert "Mine" not in body  # the cohort's name and counts are gone
    assert my_participant.user.last_name not in body
    cascade = client.get(reverse("trainer_cascade")).content.decode()
    assert "Mine" not in cascade and my_participant.user.last_name not in cascade


def test_a_withdrawn_trainers_services_refuse_new_actions(withdrawn_trainer, my_cohort):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="not a qualified trainer"):
        cohort_invite(
            cohort=my_cohort, text="ann@example.org", invited_by=withdrawn_trainer
        )
    with pytest.raises(ValidationError, match="not a qualified trainer"):
        session_record(
            cohort=my_cohort,
            recorded_by=withdrawn_trainer,
            held_on=datetime.date(2025, 2, 1),
            place="Buea",
            duration_hours=2,
            participants_women=1,
        )
    assert not Invitation.objects.exists()
    assert not TrainingSession.objects.exists()


def test_a_qualification_for_another_course_opens_nothing_of_the_withdrawn_one(
    client, qualified_trainer, my_cohort, my_participant, admin_user, tot_course
):
    """Withdrawn for the workshop, still qualified for the ToT: the workshop
    cohort is closed, the workspace is still open."""
    qualification = TrainerQualification.objects.get(
        user=qualified_trainer, course=my_cohort.course
    )
    qualification_withdraw(qualification=qualification, withdrawn_by=admin_user)
    client.force_login(qualified_trainer)
    assert client.get(reverse("trainer_cohort", args=[my_cohort.pk])).status_code == 404
    body = client.get(reverse("trainer_home")).content.decode()
    assert "Mine" not in body and tot_course.title in body


# --- The daily invitation limit -------------------------------------------------


def _two_hundred():
    return "\n".join(f"person{n}@example.org" for n in range(200))


def test_two_hundred_invitations_past_the_daily_limit_send_the_limit_and_say_why(
    client, my_cohort, settings, django_capture_on_commit_callbacks
):
    settings.RELAIS_TRAINER_INVITATIONS_PER_DAY = 7
    client.force_login(my_cohort.trainer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trainer_cohort_invite", args=[my_cohort.pk]),
            {"emails": _two_hundred()},
            follow=True,
        )
    assert Invitation.objects.filter(cohort=my_cohort).count() == 7
    assert len(mail.outbox) == 7
    body = response.content.decode()
    assert "past the limit of 7 invitations in 24 hours" in body
    assert "person199@example.org" in body


def test_the_daily_limit_holds_across_requests_and_cohorts_from_the_database(
    client, my_cohort, qualified_trainer, workshop, settings
):
    settings.RELAIS_TRAINER_INVITATIONS_PER_DAY = 3
    second = make_cohort(course=workshop, name="Mine too", trainer=qualified_trainer)
    client.force_login(qualified_trainer)
    url = reverse("trainer_cohort_invite", args=[my_cohort.pk])
    client.post(url, {"emails": "a@example.org, b@example.org"})
    client.post(
        reverse("trainer_cohort_invite", args=[second.pk]),
        {"emails": "c@example.org, d@example.org"},
    )
    assert Invitation.objects.filter(invited_by=qualified_trainer).count() == 3
    response = client.post(url, {"emails": "e@example.org"}, follow=True)
    assert "past the limit of 3" in response.content.decode()
    assert not Invitation.objects.filter(email="e@example.org").exists()
    # A day later the earlier invitations no longer count.
    Invitation.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    client.post(url, {"emails": "e@example.org"})
    assert Invitation.objects.filter(email="e@example.org").exists()


def test_repeat_invitations_cost_nothing_against_the_limit(my_cohort, settings):
    settings.RELAIS_TRAINER_INVITATIONS_PER_DAY = 2
    trainer = my_cohort.trainer
    cohort_invite(cohort=my_cohort, text="a@example.org", invited_by=trainer)
    result = cohort_invite(
        cohort=my_cohort, text="a@example.org, b@example.org", invited_by=trainer
    )
    assert (result.invited, result.already_invited, result.over_limit) == (
        ["b@example.org"],
        ["a@example.org"],
        [],
    )


def test_a_session_records_its_attendees_but_invites_within_the_limit(
    client, my_cohort, settings
):
    settings.RELAIS_TRAINER_INVITATIONS_PER_DAY = 1
    client.force_login(my_cohort.trainer)
    response = client.post(
        reverse("trainer_session_record", args=[my_cohort.pk]),
        {
            **SESSION_POST,
            "attendees_text": "Ann Ebai, ann@example.org\nBen Tabi, ben@example.org",
        },
        follow=True,
    )
    session = TrainingSession.objects.get(cohort=my_cohort)
    assert session.attendees.count() == 2
    assert list(Invitation.objects.values_list("email", flat=True)) == [
        "ann@example.org"
    ]
    assert "past the limit of 1 invitations" in response.content.decode()


# --- The new-account journey ---------------------------------------------------


def test_a_new_account_cannot_make_itself_a_trainer(client, tot_qualifies, settings):
    """Sign up, self-enrol in the ToT, try the quiz until it passes, open a
    cohort, invite: each step is refused, with a message where there is a
    page to show it."""
    from courses import services as course_services
    from courses.quiz import QuizSubmissionError
    from tests.factories import UserFactory, make_course

    settings.RELAIS_TOT_QUIZ_ATTEMPTS = 2
    newcomer = UserFactory(email="newcomer@example.org")
    client.force_login(newcomer)
    tot = tot_qualifies
    # 1. The ToT offers no enrol button, says how to join, and refuses a POST.
    page = client.get(tot.url).content.decode()
    assert reverse("course_enrol", kwargs={"course_id": tot.pk}) not in page
    assert "not open for enrolment" in page
    response = client.post(
        reverse("course_enrol", kwargs={"course_id": tot.pk}), follow=True
    )
    assert "not open for enrolment" in response.content.decode()
    assert not Enrolment.objects.filter(user=newcomer).exists()
    # 2. Its lessons and quizzes are closed to them.
    lesson = course_lessons(tot)[0]
    assert client.get(lesson.url).status_code == 403
    # 3. Even enrolled (say by staff), the quiz cannot be tried option by
    # option: it allows RELAIS_TOT_QUIZ_ATTEMPTS attempts.
    quiz_course = make_course(
        title="ToT with a quiz",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=1,
        quiz_in_last_lesson=True,
    )
    make_enrolment(user=newcomer, course=quiz_course, status="active")
    quiz_lesson = course_lessons(quiz_course)[-1]
    block = quiz_lesson.quizzes[0]
    first_options = {k: [o[0][0]] for k, _q, o in quiz_questions(block.value)}

    def guess(n):
        return course_services.quiz_attempt_submit(
            user=newcomer,
            lesson=quiz_lesson,
            quiz_id=block.id,
            answers=first_options,
            submission_token=f"{'n' * 30}{n:02d}",
        )

    guess(0)
    guess(1)
    with pytest.raises(QuizSubmissionError, match="used all your attempts"):
        guess(2)
    assert QuizAttempt.objects.filter(user=newcomer).count() == 2
    # 4. Not a trainer: no cohort to open, nobody to invite.
    assert not TrainerQualification.objects.filter(user=newcomer).exists()
    assert client.get(reverse("trainer_cohort_open")).status_code == 404
    cohort = make_cohort(course=tot, name="Someone's")
    response = client.post(
        reverse("trainer_cohort_invite", args=[cohort.pk]),
        {"emails": _two_hundred()},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()
