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
