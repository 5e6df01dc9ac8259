import json

from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from enrolment import services
from enrolment.models import Enrolment, LessonProgress
from tests.conftest import PASSWORD
from tests.factories import make_enrolment


def test_data_export_holds_profile_enrolments_and_progress(
    client, participant, course, lessons
):
    enrolment = make_enrolment(user=participant, course=course)
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    client.force_login(participant)
    response = client.get(reverse("profile_data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == participant.email
    assert data["enrolments"][0]["course"] == course.title
    assert data["lesson_progress"][0]["lesson"] == lessons[0].title
    assert data["quiz_attempts"] == []


def test_data_export_needs_login(client, site):
    assert client.get(reverse("profile_data_export")).status_code == 302


def test_deleting_the_account_needs_the_password(client, participant):
    client.force_login(participant)
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 200
    participant.refresh_from_db()
    assert participant.is_active
    assert participant.email == "alice@example.org"


def test_deleting_the_account_anonymises_it_and_keeps_the_statistics(
    client, participant, course, lessons
):
    enrolment = make_enrolment(user=participant, course=course)
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    client.force_login(participant)
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(pk=participant.pk)
    assert user.email == f"deleted-{user.pk}@invalid"
    assert (user.first_name, user.last_name) == ("", "")
    assert not user.is_active
    assert not user.has_usable_password()
    assert user.anonymised_at is not None
    assert str(user.country) == "UG"
    assert not EmailAddress.objects.filter(user=user).exists()
    assert Enrolment.objects.filter(user=user, course=course).exists()
    assert LessonProgress.objects.filter(enrolment=enrolment).count() == 1
    assert not client.login(email="alice@example.org", password=PASSWORD)


def test_deleting_the_account_removes_the_address_from_invitations(
    client, participant, cohort
):
    services.invitation_create(cohort=cohort, email=participant.email, invited_by=None)
    client.force_login(participant)
    client.post(reverse("account_delete"), {"password": PASSWORD})
    from enrolment.models import Invitation

    assert not Invitation.objects.filter(email__iexact="alice@example.org").exists()
