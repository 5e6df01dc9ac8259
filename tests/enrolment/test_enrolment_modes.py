"""A course's enrolment mode: which ways in a participant may take alone.
A train-the-trainer course is closed to self-enrolment by default."""

import pytest
from django.urls import reverse

from enrolment import services
from enrolment.models import Enrolment
from tests.factories import make_cohort, make_course


@pytest.fixture
def tot(site):
    return make_course(
        title="Train the trainers", kind="train_the_trainer", lessons_per_module=1
    )


@pytest.fixture
def tot_cohort(tot):
    return make_cohort(course=tot, name="ToT Kampala", enrolment_key="TOT-KLA")


def test_a_train_the_trainer_course_refuses_self_enrolment_by_default(tot, participant):
    assert tot.enrolment_mode == "" and tot.effective_enrolment_mode == "key"
    with pytest.raises(services.KeyRequired):
        services.enrolment_create(user=participant, course=tot, source="self")
    assert not Enrolment.objects.exists()


def test_the_enrol_view_refuses_with_the_reason(client, tot, participant):
    client.force_login(participant)
    response = client.post(
        reverse("course_enrol", kwargs={"course_id": tot.pk}), follow=True
    )
    assert "not open for enrolment" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_a_train_the_trainer_course_takes_its_cohorts_key(
    client, tot_cohort, participant
):
    client.force_login(participant)
    response = client.post(reverse("enrol_key"), {"key": "tot-kla"})
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=participant)
    assert (enrolment.cohort, enrolment.source) == (tot_cohort, "key")


def test_a_course_by_invitation_only_refuses_its_key_with_the_reason(
    client, tot, tot_cohort, participant
):
    tot.enrolment_mode = "invitation"
    tot.save()
    client.force_login(participant)
    response = client.post(reverse("enrol_key"), {"key": "TOT-KLA"})
    assert response.status_code == 400
    assert "by invitation only" in response.content.decode()
    assert not Enrolment.objects.exists()


def test_an_invitation_always_lets_in(tot, tot_cohort, participant):
    tot.enrolment_mode = "invitation"
    tot.save()
    invitation = services.invitation_create(
        cohort=tot_cohort, email=participant.email, invited_by=None
    )
    enrolment = services.invitation_accept(invitation=invitation, user=participant)
    assert enrolment.cohort == tot_cohort


def test_an_editor_may_open_a_train_the_trainer_course(client, tot, participant):
    tot.enrolment_mode = "open"
    tot.save()
    client.force_login(participant)
    client.post(reverse("course_enrol", kwargs={"course_id": tot.pk}))
    assert Enrolment.objects.filter(user=participant, course=tot).exists()


def test_a_self_paced_course_stays_open_by_default(course, participant):
    assert course.effective_enrolment_mode == "open"
    services.enrolment_create(user=participant, course=course, source="self")


def test_the_course_page_shows_only_the_ways_in_the_mode_allows(
    client, tot, participant
):
    client.force_login(participant)
    enrol_url = reverse("course_enrol", kwargs={"course_id": tot.pk})
    body = client.get(tot.url).content.decode()
    assert enrol_url not in body and reverse("enrol_key") in body
    tot.enrolment_mode = "invitation"
    tot.save_revision().publish()
    body = client.get(tot.url).content.decode()
    assert enrol_url not in body and reverse("enrol_key") not in body
    assert "by invitation only" in body


def test_withdrawing_from_a_closed_course_and_coming_back_needs_a_way_in(
    tot, tot_cohort, participant
):
    enrolment = services.enrolment_join_with_key(user=participant, key="TOT-KLA")
    services.enrolment_withdraw(enrolment=enrolment, actor=participant)
    with pytest.raises(services.KeyRequired):
        services.enrolment_create(user=participant, course=tot, source="self")
    again = services.enrolment_join_with_key(user=participant, key="TOT-KLA")
    assert again.pk == enrolment.pk and again.status == "active"


# --- Staff approval ------------------------------------------------------------


@pytest.fixture
def by_approval(tot):
    tot.enrolment_mode = "approval"
    tot.save_revision().publish()
    return tot


def test_asking_to_join_waits_for_approval_and_enrols_nobody(
    client, by_approval, participant
):
    from enrolment.models import EnrolmentRequest

    client.force_login(participant)
    body = client.get(by_approval.url).content.decode()
    assert "Ask to join" in body
    url = reverse("course_enrol", kwargs={"course_id": by_approval.pk})
    response = client.post(url, follow=True)
    assert "Your request to join is sent" in response.content.decode()
    client.post(url)  # asking twice makes one request
    assert EnrolmentRequest.objects.filter(user=participant).count() == 1
    assert not Enrolment.objects.exists()
    body = client.get(by_approval.url).content.decode()
    assert "waiting for the staff" in body and "Ask to join" not in body
    with pytest.raises(services.ApprovalRequired):
        services.enrolment_create(user=participant, course=by_approval, source="self")


def test_staff_approve_a_request_in_the_admin_and_the_participant_is_enrolled(
    client, by_approval, participant, admin_user
):
    request = services.enrolment_request_create(user=participant, course=by_approval)
    client.force_login(admin_user)
    page = client.get(reverse("enrolment_admin_requests")).content.decode()
    assert participant.email in page and by_approval.title in page
    client.post(
        reverse("enrolment_admin_requests"),
        {"request": request.pk, "decision": "approve"},
    )
    request.refresh_from_db()
    assert (request.status, request.decided_by) == ("approved", admin_user)
    enrolment = Enrolment.objects.get(user=participant, course=by_approval)
    assert (enrolment.status, enrolment.source) == ("active", "admin")
    response = client.post(
        reverse("enrolment_admin_requests"),
        {"request": request.pk, "decision": "refuse"},
        follow=True,
    )
    assert "already been answered" in response.content.decode()


def test_staff_refuse_a_request_and_nobody_is_enrolled(
    client, by_approval, participant, admin_user
):
    request = services.enrolment_request_create(user=participant, course=by_approval)
    client.force_login(admin_user)
    client.post(
        reverse("enrolment_admin_requests"),
        {"request": request.pk, "decision": "refuse"},
    )
    request.refresh_from_db()
    assert request.status == "refused"
    assert not Enrolment.objects.exists()


def test_only_staff_answer_requests(client, by_approval, participant, outsider):
    request = services.enrolment_request_create(user=participant, course=by_approval)
    client.force_login(outsider)
    for response in (
        client.get(reverse("enrolment_admin_requests")),
        client.post(
            reverse("enrolment_admin_requests"),
            {"request": request.pk, "decision": "approve"},
        ),
    ):
        assert response.status_code in {302, 403}
    request.refresh_from_db()
    assert request.status == "pending"
    assert not Enrolment.objects.exists()


def test_an_unknown_request_id_is_refused_with_a_message(client, admin_user, site):
    client.force_login(admin_user)
    for value in ("999999", "abc", ""):
        response = client.post(
            reverse("enrolment_admin_requests"),
            {"request": value, "decision": "approve"},
            follow=True,
        )
        assert "There is no such request." in response.content.decode()
