import pytest
from django.core import mail
from django.urls import reverse

from enrolment import services
from enrolment.models import Enrolment, Invitation
from tests.conftest import PASSWORD


def test_invitation_create_is_idempotent_and_mails_once(
    cohort, trainer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.invitation_create(
            cohort=cohort, email="New@Example.org", invited_by=trainer
        )
        second = services.invitation_create(
            cohort=cohort, email="new@example.org", invited_by=trainer
        )
    assert first.pk == second.pk
    assert len(mail.outbox) == 1
    assert f"/invitations/{first.token}/" in mail.outbox[0].body


def test_bulk_invitations_refuse_the_whole_list_for_one_bad_address(cohort, trainer):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.invitations_create_bulk(
            cohort=cohort, emails=["a@example.org", "not-an-email"], invited_by=trainer
        )
    assert not Invitation.objects.exists()


def test_a_logged_in_visitor_accepts_and_lands_on_the_course(
    client, participant, cohort, trainer
):
    invitation = services.invitation_create(
        cohort=cohort, email=participant.email, invited_by=trainer
    )
    client.force_login(participant)
    url = reverse("invitation", kwargs={"token": invitation.token})
    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == cohort.course.url
    enrolment = Enrolment.objects.get(user=participant)
    assert enrolment.cohort_id == cohort.pk
    assert enrolment.source == Enrolment.Source.INVITATION


def test_an_anonymous_visitor_is_enrolled_on_signing_in(client, participant, cohort):
    invitation = services.invitation_create(
        cohort=cohort, email=participant.email, invited_by=None
    )
    url = reverse("invitation", kwargs={"token": invitation.token})
    response = client.get(url)
    assert response.status_code == 200
    assert not Enrolment.objects.exists()
    response = client.post(
        reverse("account_login") + f"?next={url}",
        {"login": participant.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert Enrolment.objects.filter(user=participant, cohort=cohort).exists()
    response = client.get(url)
    assert response["Location"] == cohort.course.url


def test_an_unknown_token_answers_404(client, site):
    response = client.get(reverse("invitation", kwargs={"token": "nope"}))
    assert response.status_code == 404


def test_a_token_with_a_nul_byte_answers_404(client, site):
    response = client.get(reverse("invitation", kwargs={"token": "no\x00pe"}))
    assert response.status_code == 404
    assert "enrolment_invitation_token" not in client.session


def test_an_invitation_used_by_someone_else_is_refused(
    participant, other_participant, cohort
):
    invitation = services.invitation_create(
        cohort=cohort, email=participant.email, invited_by=None
    )
    services.invitation_accept(invitation=invitation, user=participant)
    with pytest.raises(services.InvitationUsed):
        services.invitation_accept(invitation=invitation, user=other_participant)
    assert not Enrolment.objects.filter(user=other_participant).exists()


def test_pending_invitations_show_on_the_dashboard(client, participant, cohort):
    services.invitation_create(cohort=cohort, email=participant.email, invited_by=None)
    client.force_login(participant)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Accept and join" in body
    assert cohort.name in body


def test_another_signed_in_account_cannot_burn_an_invitation(
    client, participant, other_participant, cohort
):
    invitation = services.invitation_create(
        cohort=cohort, email=participant.email, invited_by=None
    )
    url = reverse("invitation", kwargs={"token": invitation.token})
    client.force_login(other_participant)
    page = client.get(url).content.decode()
    assert "sent to another email address" in page and "Accept and join" not in page
    response = client.post(url, follow=True)
    assert "sent to another email address" in response.content.decode()
    invitation.refresh_from_db()
    assert (invitation.accepted_at, invitation.accepted_by) == (None, None)
    assert not Enrolment.objects.filter(user=other_participant).exists()
    # Still good for the person it was sent to.
    client.force_login(participant)
    client.post(url)
    invitation.refresh_from_db()
    assert invitation.accepted_by == participant
    assert Enrolment.objects.filter(user=participant, cohort=cohort).exists()


def test_signing_in_as_someone_else_after_opening_the_link_accepts_nothing(
    client, participant, other_participant, cohort
):
    invitation = services.invitation_create(
        cohort=cohort, email=participant.email, invited_by=None
    )
    client.get(reverse("invitation", kwargs={"token": invitation.token}))
    response = client.post(
        reverse("account_login"),
        {"login": other_participant.email, "password": PASSWORD},
        follow=True,
    )
    assert "sent to another email address" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not Enrolment.objects.exists()


def test_an_invitation_is_accepted_with_another_verified_address_of_its_owner(
    participant, cohort
):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=participant, email="alice@work.example.org", verified=True
    )
    invitation = services.invitation_create(
        cohort=cohort, email="Alice@Work.example.org", invited_by=None
    )
    enrolment = services.invitation_accept(invitation=invitation, user=participant)
    assert enrolment.cohort == cohort


def test_an_unverified_extra_address_does_not_accept_an_invitation(participant, cohort):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user=participant, email="claimed@example.org", verified=False
    )
    invitation = services.invitation_create(
        cohort=cohort, email="claimed@example.org", invited_by=None
    )
    with pytest.raises(services.InvitationNotYours):
        services.invitation_accept(invitation=invitation, user=participant)
