"""A cohort delivers its course in the cohort's language: the trainer's
list names courses in the reader's language, an invitation links to the
course's translation, and a colleague who signs up through it lands there."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from wagtail.models import Locale

from cascades import services
from tests.factories import catalogue

FRENCH_TITLE = "Animer l’atelier"


@pytest.fixture
def french_workshop(workshop):
    """The workshop course translated into French (catalogue and course
    pages, as wagtail-localize makes them)."""
    fr = Locale.objects.get(language_code="fr")
    index = catalogue("en").copy_for_translation(fr)
    index.save_revision().publish()
    page = workshop.copy_for_translation(fr)
    page.title = FRENCH_TITLE
    page.save_revision().publish()
    return page


def test_the_trainer_course_list_in_french_names_the_french_title(
    client, qualified_trainer, french_workshop
):
    client.force_login(qualified_trainer)
    html = client.get("/fr/trainer/").content.decode()
    assert FRENCH_TITLE in html
    assert "Delivering the workshop" not in html
    # The English list keeps the English title.
    assert "Delivering the workshop" in client.get("/en/trainer/").content.decode()


def test_the_open_cohort_form_in_french_names_the_french_title(
    client, qualified_trainer, french_workshop
):
    client.force_login(qualified_trainer)
    html = client.get("/fr/trainer/cohorts/new/").content.decode()
    assert FRENCH_TITLE in html


def test_a_french_cohort_delivers_the_french_translation(
    qualified_trainer, workshop, french_workshop, django_capture_on_commit_callbacks
):
    cohort = services.cohort_open(
        trainer=qualified_trainer, course=workshop, name="Cohorte", language="fr"
    )
    assert cohort.course_id == french_workshop.pk
    # The trainer may act on it: the qualification covers the translations.
    with django_capture_on_commit_callbacks(execute=True):
        result = services.cohort_invite(
            cohort=cohort, text="colleague@example.org", invited_by=qualified_trainer
        )
    assert result.invited == ["colleague@example.org"]
    (message,) = mail.outbox
    assert FRENCH_TITLE in message.subject
    assert FRENCH_TITLE in message.body
    assert re.search(r"https?://[^\s]+/fr/invitations/[^\s]+/", message.body)


def test_an_english_cohort_keeps_the_english_course(qualified_trainer, workshop):
    cohort = services.cohort_open(
        trainer=qualified_trainer, course=workshop, name="Cohort", language="en"
    )
    assert cohort.course_id == workshop.pk


def test_a_french_invitee_signs_up_and_lands_on_the_french_course(
    client, qualified_trainer, workshop, french_workshop
):
    from enrolment.models import Enrolment
    from enrolment.services import invitation_create
    from enrolment.services.invitations import invitation_url

    cohort = services.cohort_open(
        trainer=qualified_trainer, course=workshop, name="Cohorte", language="fr"
    )
    invitation = invitation_create(
        cohort=cohort, email="colleague@example.org", invited_by=qualified_trainer
    )
    path = re.sub(r"^https?://[^/]+", "", invitation_url(invitation))
    assert path.startswith("/fr/")
    page = client.get(path)
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()
    assert FRENCH_TITLE in page.content.decode()
    mail.outbox.clear()
    response = client.post(
        f"/fr/accounts/signup/?next={path}",
        {
            "email": "colleague@example.org",
            "first_name": "Claire",
            "last_name": "Ndiaye",
            "password1": "a-long-enough-passphrase-42",
            "password2": "a-long-enough-passphrase-42",
            "country": "SN",
            "institution": "Direction des migrations",
            "organisation_type": "government",
            "next": path,
        },
    )
    assert response.status_code == 302
    link = re.search(
        r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", mail.outbox[0].body
    )
    assert link, mail.outbox[0].body
    response = client.post(re.sub(r"^https?://[^/]+", "", link.group(0)), follow=True)
    final = response.redirect_chain[-1][0]
    assert final == french_workshop.url, response.redirect_chain
    assert '<html lang="fr"' in response.content.decode()
    assert Enrolment.objects.filter(
        user__email="colleague@example.org", course=french_workshop
    ).exists()
