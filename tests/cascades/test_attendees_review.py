"""The trainer reviews a session's attendee list (fix, remove, add) and
confirms it: attendees with an email get one attendance certificate each,
however often the list is confirmed (cascades/services/attendees.py)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cascades.models import SessionAttendee, TrainingSession
from cascades.services.attendees import attendees_confirm
from certificates.models import Certificate
from tests.factories import make_cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_cohort(qualified_trainer, workshop, expert_cohort):
    return make_cohort(
        course=workshop,
        name="Kampala 2025",
        trainer=qualified_trainer,
        parent=expert_cohort,
        country="UG",
    )


@pytest.fixture
def my_session(my_cohort, qualified_trainer):
    session = TrainingSession.objects.create(
        cohort=my_cohort,
        held_on=datetime.date(2025, 5, 6),
        place="Kampala",
        duration_hours=4,
        participants_women=1,
        participants_men=1,
        created_by=qualified_trainer,
    )
    session.attendees.create(
        name="Grace Nakato",
        email="grace@example.org",
        gender="woman",
        checked_in_at=timezone.now(),
    )
    session.attendees.create(name="Okello Jame", institution="MIA")
    return session


@pytest.fixture
def other_session(workshop, other_participant):
    cohort = make_cohort(course=workshop, name="Theirs", trainer=other_participant)
    session = TrainingSession.objects.create(
        cohort=cohort, held_on=datetime.date(2025, 1, 1), place="Gulu", duration_hours=2
    )
    session.attendees.create(name="Someone Else", email="else@example.org")
    return session


def _attendee(session, name):
    return session.attendees.get(name=name)


def _confirm(client, session, capture):
    with capture(execute=True):
        return client.post(reverse("trainer_attendees_confirm", args=[session.pk]))


# --- Confirming ---------------------------------------------------------------


def test_confirming_certifies_each_attendee_with_an_email_once(
    client, my_session, django_capture_on_commit_callbacks, mailoutbox
):
    trainer = my_session.cohort.trainer
    client.force_login(trainer)
    response = _confirm(client, my_session, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    my_session.refresh_from_db()
    assert my_session.attendees_confirmed_by == trainer
    assert my_session.attendees_confirmed_at is not None

    certificates = Certificate.objects.filter(attendee__session=my_session)
    assert list(certificates.values_list("attendee__name", "status")) == [
        ("Grace Nakato", "issued")
    ]
    assert [m.to for m in mailoutbox] == [["grace@example.org"]]
    # The certificate names the trainer and the cascade (cohort and course).
    facts = certificates.get().facts
    assert facts["trainer"] == trainer.display_name
    assert facts["cohort"] == "Kampala 2025"
    assert facts["cascade"] == "Delivering the workshop"

    # Confirming again (or a second click) sends nothing new.
    _confirm(client, my_session, django_capture_on_commit_callbacks)
    assert certificates.count() == 1
    assert len(mailoutbox) == 1

    page = client.get(reverse("trainer_session", args=[my_session.pk])).content
    assert "No certificate (no email)" in page.decode()


def test_an_attendee_added_after_confirming_is_certified_on_the_next_confirm(
    client, my_session, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(my_session.cohort.trainer)
    _confirm(client, my_session, django_capture_on_commit_callbacks)
    response = client.post(
        reverse("trainer_attendee_add", args=[my_session.pk]),
        {"name": "Sarah Achieng", "email": "sarah@example.org", "gender": "woman"},
    )
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    _confirm(client, my_session, django_capture_on_commit_callbacks)
    _confirm(client, my_session, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mailoutbox) == [
        "grace@example.org",
        "sarah@example.org",
    ]
    assert Certificate.objects.filter(attendee__session=my_session).count() == 2


def test_an_erased_attendee_gets_no_certificate(my_session):
    # What cascades/data_rights.py leaves of a deleted account's attendee.
    my_session.attendees.create(name="", email="deleted-12@invalid")
    result = attendees_confirm(
        session=my_session, confirmed_by=my_session.cohort.trainer
    )
    assert [a.name for a in result.requested] == ["Grace Nakato"]
    assert sorted(a.name for a in result.no_email) == ["", "Okello Jame"]
    assert Certificate.objects.filter(attendee__session=my_session).count() == 1


def test_confirming_raises_the_head_counts_to_cover_the_check_ins(my_session):
    # Two more checked in on their phones than the trainer counted.
    my_session.attendees.create(name="A Woman", gender="woman")
    my_session.attendees.create(name="Not Said", gender="not_said")
    result = attendees_confirm(
        session=my_session, confirmed_by=my_session.cohort.trainer
    )
    assert result.counts_raised
    my_session.refresh_from_db()
    assert (
        my_session.participants_women,
        my_session.participants_men,
        my_session.participants_other,
    ) == (2, 1, 1)
    again = attendees_confirm(
        session=my_session, confirmed_by=my_session.cohort.trainer
    )
    assert not again.counts_raised


# --- Fix, remove, add ---------------------------------------------------------


def test_a_trainer_fixes_a_spelling(client, my_session):
    client.force_login(my_session.cohort.trainer)
    okello = _attendee(my_session, "Okello Jame")
    url = reverse("trainer_attendee_edit", args=[my_session.pk, okello.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"name": "Okello James", "email": "", "institution": "MIA Uganda"}
    )
    assert response.status_code == 302
    okello.refresh_from_db()
    assert (okello.name, okello.institution) == ("Okello James", "MIA Uganda")


def test_a_trainer_removes_a_mistaken_entry_after_confirming_it(client, my_session):
    client.force_login(my_session.cohort.trainer)
    okello = _attendee(my_session, "Okello Jame")
    url = reverse("trainer_attendee_remove", args=[my_session.pk, okello.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert SessionAttendee.objects.filter(pk=okello.pk).exists()
    assert client.post(url).status_code == 302
    assert not SessionAttendee.objects.filter(pk=okello.pk).exists()
    my_session.refresh_from_db()
    assert my_session.participants_total == 2  # the counts stay as typed


def test_adding_past_the_head_counts_raises_them_and_says_so(client, my_session):
    client.force_login(my_session.cohort.trainer)
    response = client.post(
        reverse("trainer_attendee_add", args=[my_session.pk]),
        {"name": "Peter Mugisha", "gender": "man"},
        follow=True,
    )
    my_session.refresh_from_db()
    # One man listed, one counted: the third person listed (Okello, gender
    # not given) goes to "other or not stated".
    assert (
        my_session.participants_women,
        my_session.participants_men,
        my_session.participants_other,
    ) == (1, 1, 1)
    assert "The head counts were raised" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "data", "message"),
    [
        (
            "en",
            {"name": "Grace N.", "email": "GRACE@example.org"},
            "grace@example.org is already on this session",
        ),
        ("en", {"name": "   ", "email": "x@example.org"}, "This field is required."),
        (
            "fr",
            {"name": "Grace N.", "email": "Grace@Example.org"},
            "figure déjà sur la liste de cette séance",
        ),
        ("fr", {"name": "", "email": "x@example.org"}, "Champ requis."),
        ("fr", {"name": "X", "email": "pas-une-adresse"}, "adresse de courriel valide"),
    ],
)
def test_bad_input_is_refused_in_the_readers_language_and_changes_nothing(
    client, my_session, language, data, message
):
    client.force_login(my_session.cohort.trainer)
    before = sorted(my_session.attendees.values_list("name", "email", "institution"))
    okello = _attendee(my_session, "Okello Jame")
    for url in (
        f"/{language}/trainer/sessions/{my_session.pk}/attendees/add/",
        f"/{language}/trainer/sessions/{my_session.pk}/attendees/{okello.pk}/edit/",
    ):
        response = client.post(url, data)
        assert response.status_code == 400, url
        assert message.lower() in response.content.decode().lower(), url
    after = sorted(my_session.attendees.values_list("name", "email", "institution"))
    assert after == before


def test_a_certified_attendee_is_neither_edited_nor_removed(
    client, my_session, django_capture_on_commit_callbacks
):
    client.force_login(my_session.cohort.trainer)
    _confirm(client, my_session, django_capture_on_commit_callbacks)
    grace = _attendee(my_session, "Grace Nakato")
    response = client.post(
        f"/fr/trainer/sessions/{my_session.pk}/attendees/{grace.pk}/remove/"
    )
    assert response.status_code == 400
    assert "détient déjà une attestation" in response.content.decode()
    response = client.post(
        reverse("trainer_attendee_edit", args=[my_session.pk, grace.pk]),
        {"name": "Grace Nakatoo", "email": "grace@example.org"},
    )
    assert response.status_code == 400
    grace.refresh_from_db()
    assert grace.name == "Grace Nakato"


# --- Access -------------------------------------------------------------------


def _views(session, attendee):
    return [
        ("get", reverse("trainer_attendee_add", args=[session.pk])),
        ("post", reverse("trainer_attendee_add", args=[session.pk])),
        ("get", reverse("trainer_attendee_edit", args=[session.pk, attendee.pk])),
        ("post", reverse("trainer_attendee_edit", args=[session.pk, attendee.pk])),
        ("get", reverse("trainer_attendee_remove", args=[session.pk, attendee.pk])),
        ("post", reverse("trainer_attendee_remove", args=[session.pk, attendee.pk])),
        ("post", reverse("trainer_attendees_confirm", args=[session.pk])),
    ]


POST = {"name": "Intruder", "email": "intruder@example.org"}


@pytest.mark.parametrize("who", ["other_trainer", "participant", "anonymous"])
def test_outsiders_get_404_from_every_review_view(
    client, my_session, other_session, participant, who
):
    if who == "other_trainer":
        client.force_login(other_session.cohort.trainer)
    elif who == "participant":
        client.force_login(participant)
    attendee = _attendee(my_session, "Okello Jame")
    for method, url in _views(my_session, attendee):
        response = client.post(url, POST) if method == "post" else client.get(url)
        expected = (302,) if who == "anonymous" else (404,)
        assert response.status_code in expected, (method, url)
        if who == "anonymous":
            assert "/accounts/login/" in response["Location"]
    assert my_session.attendees.count() == 2
    assert my_session.attendees.filter(name="Okello Jame").exists()
    my_session.refresh_from_db()
    assert my_session.attendees_confirmed_at is None


def test_an_attendee_of_another_session_answers_404(client, my_session, other_session):
    client.force_login(my_session.cohort.trainer)
    theirs = other_session.attendees.get()
    for method, url in _views(my_session, theirs)[2:6]:
        response = client.post(url, POST) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    theirs.refresh_from_db()
    assert theirs.name == "Someone Else"


def test_a_withdrawn_trainer_gets_404_from_every_review_view(
    client, my_session, admin_user
):
    from cascades.models import TrainerQualification
    from cascades.services import qualification_withdraw

    trainer = my_session.cohort.trainer
    for qualification in TrainerQualification.objects.filter(user=trainer):
        qualification_withdraw(qualification=qualification, withdrawn_by=admin_user)
    client.force_login(trainer)
    attendee = _attendee(my_session, "Okello Jame")
    for method, url in _views(my_session, attendee):
        response = client.post(url, POST) if method == "post" else client.get(url)
        assert response.status_code == 404, (method, url)
    assert my_session.attendees.count() == 2
