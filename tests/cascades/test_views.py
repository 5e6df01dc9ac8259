"""The trainer workspace through the client, and access control: a trainer
sees only their own cohorts, sessions and participants (404 otherwise), and
only counts of the cohorts below them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cascades.models import TrainingSession
from enrolment.models import Cohort, Invitation
from tests.factories import make_cohort, make_enrolment


@pytest.fixture
def my_cohort(qualified_trainer, workshop, expert_cohort):
    return make_cohort(
        course=workshop, name="Mine", trainer=qualified_trainer, parent=expert_cohort
    )


@pytest.fixture
def other_cohort(workshop, expert_cohort, other_participant):
    """A cohort below mine, run by someone I trained (a descendant)."""
    return make_cohort(course=workshop, name="Theirs", trainer=other_participant)


@pytest.fixture
def other_session(other_cohort):
    return TrainingSession.objects.create(
        cohort=other_cohort,
        held_on=datetime.date(2025, 1, 1),
        place="Elsewhere",
        duration_hours=3,
        participants_women=2,
    )


def test_trainer_home_lists_qualifications_and_cohorts(client, my_cohort):
    client.force_login(my_cohort.trainer)
    response = client.get(reverse("trainer_home"))
    assert response.status_code == 200
    assert "Mine" in response.content.decode()
    assert "Delivering the workshop" in response.content.decode()


def test_the_nav_shows_the_trainer_link_only_to_trainers(client, my_cohort, outsider):
    client.force_login(outsider)
    assert (
        reverse("trainer_home") not in client.get(reverse("dashboard")).content.decode()
    )
    client.force_login(my_cohort.trainer)
    assert reverse("trainer_home") in client.get(reverse("dashboard")).content.decode()


def test_trainer_opens_a_cohort_through_the_form(
    client, qualified_trainer, workshop, expert_cohort
):
    client.force_login(qualified_trainer)
    response = client.post(
        reverse("trainer_cohort_open"),
        {
            "course": workshop.pk,
            "name": "Bamenda",
            "country": "CM",
            "language": "fr",
            "mode": "in_person",
        },
    )
    cohort = Cohort.objects.get(name="Bamenda")
    assert response.status_code == 302
    assert cohort.parent == expert_cohort and cohort.enrolment_key


def test_the_open_form_offers_only_courses_i_may_deliver(
    client, qualified_trainer, site
):
    from tests.factories import make_course

    other = make_course(title="Not mine", modules=1, lessons_per_module=1)
    client.force_login(qualified_trainer)
    response = client.post(
        reverse("trainer_cohort_open"),
        {"course": other.pk, "name": "X", "language": "en", "mode": "online"},
    )
    assert response.status_code == 400
    assert not Cohort.objects.filter(name="X").exists()


def test_a_non_trainer_cannot_open_a_cohort(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("trainer_cohort_open")).status_code == 404


def test_cohort_page_shows_participants_progress_and_key(
    client, my_cohort, participant
):
    make_enrolment(user=participant, course=my_cohort.course, cohort=my_cohort)
    my_cohort.enrolment_key = "KEY123"
    my_cohort.save()
    client.force_login(my_cohort.trainer)
    body = client.get(reverse("trainer_cohort", args=[my_cohort.pk])).content.decode()
    assert "Alice Mbeki" in body and "KEY123" in body and "0&nbsp;%" in body


def test_another_trainers_cohort_answers_404(client, my_cohort, other_cohort):
    client.force_login(my_cohort.trainer)
    assert (
        client.get(reverse("trainer_cohort", args=[other_cohort.pk])).status_code == 404
    )


def test_an_outsider_asking_for_my_cohort_gets_404(client, my_cohort, outsider):
    client.force_login(outsider)
    assert client.get(reverse("trainer_cohort", args=[my_cohort.pk])).status_code == 404
    response = client.post(
        reverse("trainer_cohort_invite", args=[my_cohort.pk]),
        {"emails": "x@example.org"},
    )
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_another_trainers_session_answers_404(client, my_cohort, other_session):
    client.force_login(my_cohort.trainer)
    assert (
        client.get(reverse("trainer_session", args=[other_session.pk])).status_code
        == 404
    )
    response = client.post(
        reverse("trainer_session_certificates", args=[other_session.pk])
    )
    assert response.status_code == 404


def test_another_trainers_participant_answers_404(
    client, my_cohort, other_cohort, participant
):
    theirs = make_enrolment(
        user=participant, course=other_cohort.course, cohort=other_cohort
    )
    client.force_login(my_cohort.trainer)
    url = reverse("trainer_participant", args=[my_cohort.pk, theirs.pk])
    assert client.get(url).status_code == 404
    url = reverse("trainer_participant", args=[other_cohort.pk, theirs.pk])
    assert client.get(url).status_code == 404


def test_my_participant_page_shows_their_progress(client, my_cohort, participant):
    mine = make_enrolment(user=participant, course=my_cohort.course, cohort=my_cohort)
    client.force_login(my_cohort.trainer)
    response = client.get(reverse("trainer_participant", args=[my_cohort.pk, mine.pk]))
    assert (
        response.status_code == 200 and "alice@example.org" in response.content.decode()
    )


def test_my_cascade_shows_descendant_counts_but_not_their_people(
    client, my_cohort, other_cohort, participant
):
    from cascades.services import cohort_set_parent

    cohort_set_parent(cohort=other_cohort, parent=my_cohort, actor=None)
    make_enrolment(user=participant, course=other_cohort.course, cohort=other_cohort)
    client.force_login(my_cohort.trainer)
    body = client.get(reverse("trainer_cascade")).content.decode()
    assert "Theirs" in body
    assert "alice@example.org" not in body and "Mbeki" not in body
    assert reverse("trainer_cohort", args=[other_cohort.pk]) not in body


def test_bad_invite_list_reports_the_bad_value_and_invites_nobody(client, my_cohort):
    client.force_login(my_cohort.trainer)
    response = client.post(
        reverse("trainer_cohort_invite", args=[my_cohort.pk]),
        {"emails": "good@example.org; bad@@example"},
    )
    assert response.status_code == 400
    assert "bad@@example" in response.content.decode()
    assert not Invitation.objects.exists()


def test_two_colleagues_are_invited(client, my_cohort):
    client.force_login(my_cohort.trainer)
    response = client.post(
        reverse("trainer_cohort_invite", args=[my_cohort.pk]),
        {"emails": "one@example.org\ntwo@example.org"},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(cohort=my_cohort).count() == 2


def test_recording_a_session_with_bad_counts_saves_nothing(client, my_cohort):
    client.force_login(my_cohort.trainer)
    response = client.post(
        reverse("trainer_session_record", args=[my_cohort.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "place": "Hall",
            "duration_hours": "3",
            "participants_women": "1",
            "participants_men": "-2",
            "participants_other": "0",
            "attendees_text": "A, a@example.org\nB, b@example.org",
        },
    )
    assert response.status_code == 400
    assert "negative" in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_requesting_attendance_certificates_calls_the_hook_for_each_attendee(
    client, my_cohort
):
    from cascades import hooks

    session = TrainingSession.objects.create(
        cohort=my_cohort,
        held_on=datetime.date(2025, 1, 1),
        place="Hall",
        duration_hours=3,
        participants_women=2,
    )
    session.attendees.create(name="A", email="a@example.org")
    session.attendees.create(name="B")
    seen = []

    def receiver(*, attendee, requested_by):
        seen.append((attendee.name, requested_by))
        return attendee

    with hooks.attendance_certificate_request.replaced(receiver):
        client.force_login(my_cohort.trainer)
        response = client.post(
            reverse("trainer_session_certificates", args=[session.pk])
        )
    assert response.status_code == 302
    assert sorted(name for name, _u in seen) == ["A", "B"]


def test_admin_cascade_report_is_for_staff_only(
    client, admin_user, outsider, my_cohort
):
    client.force_login(admin_user)
    response = client.get(reverse("cascades_admin:report"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Capacity development ToT" in body
    # The counting rules are on the page, not in a file staff never see.
    assert "How people are counted" in body and "README" not in body
    outsider.is_staff = False
    client.force_login(outsider)
    assert client.get(reverse("cascades_admin:report")).status_code in {302, 403}


def test_admin_refuses_a_parent_that_would_make_a_cycle(
    client, admin_user, my_cohort, expert_cohort
):
    client.force_login(admin_user)
    response = client.post(
        reverse("cascades_admin:report"),
        {"cohort": expert_cohort.pk, "parent": my_cohort.pk},
    )
    assert response.status_code == 400
    expert_cohort.refresh_from_db()
    assert expert_cohort.parent is None


def test_admin_grants_a_qualification_through_the_viewset(
    client, admin_user, participant, workshop
):
    from cascades.models import TrainerQualification

    client.force_login(admin_user)
    response = client.post(
        reverse("trainer_qualifications:add"),
        {"user": participant.pk, "course": workshop.pk},
    )
    assert response.status_code == 302
    q = TrainerQualification.objects.get(user=participant)
    assert q.granted_by == admin_user


def test_admin_withdraws_rather_than_deletes(client, admin_user, qualified_trainer):
    from cascades.models import TrainerQualification

    q = TrainerQualification.objects.filter(user=qualified_trainer).first()
    client.force_login(admin_user)
    response = client.post(reverse("trainer_qualifications:delete", args=[q.pk]))
    assert response.status_code == 302
    q.refresh_from_db()
    assert q.withdrawn_at is not None


def _trainer_home_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("trainer_home")).status_code == 200
    return len(ctx.captured_queries)


def test_trainer_home_runs_a_fixed_number_of_queries_cold_and_warm(
    client, my_cohort, workshop, django_capture_on_commit_callbacks
):
    from tests.factories import UserFactory

    client.force_login(my_cohort.trainer)
    client.get(reverse("trainer_home"))  # the session, Wagtail's caches
    warm_small = _trainer_home_queries(client)
    parent = my_cohort
    with django_capture_on_commit_callbacks(execute=True):  # changed("cascades")
        for n in range(5):
            parent = make_cohort(course=workshop, name=f"Below {n}", parent=parent)
            make_enrolment(user=UserFactory(), course=workshop, cohort=parent)
    cold_large = _trainer_home_queries(client)  # the cascade changed
    warm_large = _trainer_home_queries(client)
    assert warm_small == warm_large
    # the cohort table (1) and the reach (the trainer's paths, then 4)
    assert cold_large == warm_large + 6
