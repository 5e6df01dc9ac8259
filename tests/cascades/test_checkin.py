"""Check-in from phones: the services (one attendee per email, closing,
the end of the day), the attendee's pages (language, rate limits, weight,
unknown and closed codes), the trainer's controls and sign-in sheet (QR
codes that decode to the check-in address; outsiders get 404)."""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from unittest import mock

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cascades import checkin_views
from cascades.models import SessionAttendee, TrainingSession
from cascades.services import (
    attendee_check_in,
    checkin_close,
    checkin_day_end,
    checkin_is_open,
    checkin_open,
    checkin_url,
    session_attendees_add,
)
from cascades.services.checkin import CODE_ALPHABET, CODE_LENGTH
from tests.factories import make_cohort, make_enrolment

from .checkin_helpers import pdf_qr_texts, svg_qr_texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def my_cohort(qualified_trainer, workshop, expert_cohort):
    return make_cohort(
        course=workshop,
        name="Yaoundé 2026",
        trainer=qualified_trainer,
        parent=expert_cohort,
    )


def make_session(cohort, held_on=None, **fields):
    return TrainingSession.objects.create(
        cohort=cohort,
        title=fields.pop("title", "Migration data workshop"),
        held_on=held_on or timezone.localdate(),
        place="MINREX, Yaoundé",
        duration_hours=3,
        participants_other=fields.pop("participants_other", 0),
        **fields,
    )


@pytest.fixture
def session(my_cohort):
    return make_session(my_cohort)


@pytest.fixture
def open_session(session):
    return checkin_open(session=session)


@pytest.fixture
def other_trainer(other_participant, expert_cohort, workshop):
    """Another qualified trainer, with a session of their own."""
    from cascades.services import qualifications_from_completion

    enrolment = make_enrolment(
        user=other_participant,
        course=expert_cohort.course,
        cohort=expert_cohort,
        status="completed",
        completed_at=timezone.now(),
    )
    qualifications_from_completion(enrolment=enrolment)
    return other_participant


def check_in(session, **fields):
    values = {"name": "Amina Diallo", "consent": True, **fields}
    return attendee_check_in(session=session, **values)


def post_check_in(client, session, **fields):
    data = {"name": "Amina Diallo", "institution": "MINREX", "consent": "on"}
    data.update(fields)
    return client.post(reverse("session_checkin", args=[session.checkin_code]), data)


# --- Services --------------------------------------------------------------


def test_opening_gives_a_short_code_from_an_unambiguous_alphabet(session):
    checkin_open(session=session)
    session.refresh_from_db()
    assert len(session.checkin_code) == CODE_LENGTH
    assert set(session.checkin_code) <= set(CODE_ALPHABET)
    assert not set("O0I1L") & set(CODE_ALPHABET)
    assert checkin_is_open(session=session)


def test_the_same_email_twice_in_any_case_is_one_attendee(open_session):
    first = check_in(open_session, email="amina@example.org", institution="A")
    again = check_in(
        open_session,
        name="Amina Diallo-Ba",
        email="AMINA@Example.org",
        institution="MINREX",
        gender="woman",
    )
    assert first.created and not again.created
    attendee = SessionAttendee.objects.get(session=open_session)
    assert attendee.name == "Amina Diallo-Ba" and attendee.institution == "MINREX"
    assert attendee.gender == "woman" and attendee.checked_in_at is not None


def test_a_check_in_beyond_the_head_count_raises_it_in_its_column(open_session):
    check_in(open_session, email="a@example.org", gender="woman")
    check_in(open_session, email="b@example.org", gender="not_said")
    check_in(open_session, email="a@example.org", gender="woman")  # the same one
    open_session.refresh_from_db()
    assert open_session.participants_women == 1
    assert open_session.participants_other == 1


def test_a_closed_check_in_refuses_and_writes_nothing(open_session):
    checkin_close(session=open_session)
    with pytest.raises(ValidationError) as refused:
        check_in(open_session)
    assert refused.value.code == "closed"
    assert not open_session.attendees.exists()


def test_check_in_closes_at_the_end_of_the_sessions_day(open_session, settings):
    end = checkin_day_end(session=open_session)
    assert end.date() == open_session.held_on + datetime.timedelta(days=1)
    assert checkin_is_open(
        session=open_session, now=end - datetime.timedelta(seconds=1)
    )
    assert not checkin_is_open(session=open_session, now=end)
    clock = mock.patch("django.utils.timezone.now", autospec=True, return_value=end)
    with clock, pytest.raises(ValidationError):
        check_in(open_session)
    assert not open_session.attendees.exists()


def test_the_end_of_the_day_is_in_the_site_time_zone(session, settings):
    settings.TIME_ZONE = "America/El_Salvador"  # UTC-6
    end = checkin_day_end(session=session)
    assert end.utcoffset() == datetime.timedelta(hours=-6)
    assert end.astimezone(datetime.UTC).hour == 6


def test_opening_after_the_sessions_day_is_refused(my_cohort):
    past = make_session(
        my_cohort, held_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as refused:
        checkin_open(session=past)
    assert refused.value.code == "day_passed"
    past.refresh_from_db()
    assert past.checkin_opened_at is None and past.checkin_code is None


def test_consent_and_a_name_are_required(open_session):
    with pytest.raises(ValidationError) as refused:
        attendee_check_in(session=open_session, name=" ", consent=False)
    assert set(refused.value.message_dict) == {"name", "consent"}
    assert not open_session.attendees.exists()


def test_a_typed_in_sheet_adds_and_updates_by_email(open_session, qualified_trainer):
    check_in(open_session, email="amina@example.org")
    result = session_attendees_add(
        session=open_session,
        text="Amina D., AMINA@example.org, MINREX\nJean Kamga, , DGSN",
        added_by=qualified_trainer,
    )
    assert (result.added, result.updated) == (1, 1)
    names = sorted(open_session.attendees.values_list("name", flat=True))
    assert names == ["Amina D.", "Jean Kamga"]


# --- The attendee's pages ----------------------------------------------------


def test_the_neutral_address_goes_to_the_visitors_language(client, open_session):
    code = open_session.checkin_code
    assert checkin_url(code=code) == f"http://testserver/checkin/{code}/"
    response = client.get(f"/checkin/{code}/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.status_code == 302
    assert response["Location"] == f"/fr/checkin/{code}/"
    response = client.get(f"/checkin/{code}/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Location"] == f"/ru/checkin/{code}/"


def test_an_attendee_checks_in_without_an_account(client, open_session):
    response = post_check_in(
        client, open_session, email="amina@example.org", gender="woman"
    )
    assert response.status_code == 302
    attendee = open_session.attendees.get()
    assert (attendee.name, attendee.email, attendee.gender) == (
        "Amina Diallo",
        "amina@example.org",
        "woman",
    )
    page = client.get(response["Location"]).content.decode()
    assert "Thank you, Amina Diallo" in page


def test_a_check_in_without_consent_is_refused_with_a_message(client, open_session):
    response = post_check_in(client, open_session, consent="")
    assert response.status_code == 400
    assert "Agree to be listed" in response.content.decode()
    assert not open_session.attendees.exists()


def test_a_typed_code_in_any_case_finds_the_session(client, open_session):
    response = client.get(
        reverse("checkin_enter"), {"code": open_session.checkin_code.lower()}
    )
    assert response["Location"] == reverse(
        "session_checkin", args=[open_session.checkin_code]
    )


def test_an_unknown_code_answers_404_in_the_visitors_language(client, open_session):
    response = client.get("/fr/checkin/ZZZZZZ/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'lang="fr"' in page
    assert "Code d’enregistrement inconnu" in page
    assert "Aucune séance n’a le code d’enregistrement «\u00a0ZZZZZZ\u00a0»" in page


def test_a_closed_check_in_says_so_and_refuses_a_post(client, open_session):
    checkin_close(session=open_session)
    page = client.get(reverse("session_checkin", args=[open_session.checkin_code]))
    assert page.status_code == 200
    assert "Check-in is closed" in page.content.decode()
    response = post_check_in(client, open_session)
    assert response.status_code == 409
    assert not open_session.attendees.exists()


def test_the_rate_limit_per_address_answers_429_in_the_visitors_language(
    client, open_session, monkeypatch
):
    monkeypatch.setattr(checkin_views, "SUBMITS_PER_ADDRESS", 2)
    url = f"/es/checkin/{open_session.checkin_code}/"
    for n in range(2):
        data = {"name": f"P{n}", "email": f"p{n}@example.org", "consent": "on"}
        assert client.post(url, data).status_code == 302
    response = client.post(url, {"name": "P3", "consent": "on"})
    assert response.status_code == 429
    assert response["Retry-After"] == str(checkin_views.PERIOD)
    page = response.content.decode()
    assert 'lang="es"' in page
    assert "Llegaron muchos registros desde aquí en poco tiempo" in page
    assert open_session.attendees.count() == 2


def test_the_rate_limit_per_session_holds_across_addresses(
    client, open_session, monkeypatch
):
    monkeypatch.setattr(checkin_views, "SUBMITS_PER_SESSION", 2)
    url = reverse("session_checkin", args=[open_session.checkin_code])
    codes = [
        client.post(
            url, {"name": f"P{n}", "consent": "on"}, REMOTE_ADDR=f"10.0.0.{n + 1}"
        ).status_code
        for n in range(3)
    ]
    assert codes == [302, 302, 429]
    assert open_session.attendees.count() == 2


def test_the_attendee_page_weighs_under_30_kb(client, open_session):
    from django.contrib.staticfiles import finders

    response = client.get(reverse("session_checkin", args=[open_session.checkin_code]))
    html = response.content.decode()
    assert "<form" in html and 'name="csrfmiddlewaretoken"' in html
    total = len(response.content)
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html)
    for asset in assets:
        path = finders.find(asset.split("?")[0])
        assert path, asset
        total += Path(path).stat().st_size
    print(f"check-in page: {len(response.content)} bytes, {total} with {assets}")
    assert total < 30 * 1024, f"{total} bytes with {assets}"


# --- The trainer's page, controls and sheet ------------------------------------


def test_the_trainer_page_qr_decodes_to_the_check_in_address(client, open_session):
    client.force_login(open_session.cohort.trainer)
    response = client.get(reverse("trainer_session", args=[open_session.pk]))
    page = response.content.decode()
    svg = re.search(r"<svg[^>]*class=\"checkin-qr\".*?</svg>", page, re.S)
    assert svg, "no QR code on the page"
    assert svg_qr_texts(svg.group(0)) == [checkin_url(code=open_session.checkin_code)]
    assert open_session.checkin_code in page


def test_the_trainer_opens_and_closes_check_in(client, session):
    client.force_login(session.cohort.trainer)
    client.post(reverse("trainer_session_checkin_open", args=[session.pk]))
    session.refresh_from_db()
    assert checkin_is_open(session=session)
    client.post(reverse("trainer_session_checkin_close", args=[session.pk]))
    session.refresh_from_db()
    assert not checkin_is_open(session=session)


def test_opening_a_past_session_shows_a_message_and_changes_nothing(client, my_cohort):
    past = make_session(my_cohort, held_on=datetime.date(2025, 1, 1))
    client.force_login(my_cohort.trainer)
    response = client.post(
        reverse("trainer_session_checkin_open", args=[past.pk]), follow=True
    )
    assert "The session&#x27;s day has passed" in response.content.decode()
    past.refresh_from_db()
    assert past.checkin_opened_at is None


def test_the_live_list_shows_a_new_check_in(client, open_session):
    client.force_login(open_session.cohort.trainer)
    url = reverse("trainer_session_checkin_live", args=[open_session.pk])
    assert "Amina" not in client.get(url).content.decode()
    check_in(open_session, institution="MINREX")
    fragment = client.get(url).content.decode()
    assert "Amina Diallo · MINREX" in fragment
    assert 'data-checkin-open="1"' in fragment


def test_the_sign_in_sheet_assigns_a_code_and_its_qr_decodes(client, session):
    assert session.checkin_code is None
    client.force_login(session.cohort.trainer)
    page = client.get(reverse("trainer_session", args=[session.pk])).content.decode()
    assert "Printing it gives this session its check-in code" in page
    response = client.get(reverse("trainer_session_sign_in_sheet", args=[session.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    session.refresh_from_db()
    assert session.checkin_code and session.checkin_opened_at is None
    content = response.content
    assert pdf_qr_texts(content) == [checkin_url(code=session.checkin_code)]
    reader = pypdf.PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4
    text = reader.pages[0].extract_text()
    for expected in (
        "Migration data workshop",
        "Yaoundé 2026",
        "Delivering the workshop",
        "MINREX, Yaoundé",
        "Tina Kamara",
        session.checkin_code,
        "Signature",
        "25",
    ):
        assert expected in text, expected


def test_the_sign_in_sheet_prints_cyrillic_in_russian(client, my_cohort):
    session = make_session(my_cohort, title="Миграционная статистика")
    client.force_login(my_cohort.trainer)
    response = client.get(f"/ru/trainer/sessions/{session.pk}/sign-in-sheet.pdf")
    text = pypdf.PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Миграционная статистика" in text
    assert "Лист регистрации" in text  # the sheet's own words in Russian


def test_typing_in_a_sheet_through_the_page_adds_attendees(client, session):
    client.force_login(session.cohort.trainer)
    response = client.post(
        reverse("trainer_session_attendees_add", args=[session.pk]),
        {"attendees_text": "Jean Kamga, , DGSN\nAïcha Bello"},
    )
    assert response.status_code == 302
    assert session.attendees.count() == 2


def test_a_bad_sheet_line_adds_nobody(client, session):
    client.force_login(session.cohort.trainer)
    response = client.post(
        reverse("trainer_session_attendees_add", args=[session.pk]),
        {"attendees_text": "Jean Kamga, not-an-email"},
        follow=True,
    )
    assert "not a valid email address" in response.content.decode()
    assert not session.attendees.exists()


TRAINER_VIEWS = [
    ("get", "trainer_session"),
    ("post", "trainer_session_checkin_open"),
    ("post", "trainer_session_checkin_close"),
    ("get", "trainer_session_checkin_live"),
    ("get", "trainer_session_sign_in_sheet"),
    ("post", "trainer_session_attendees_add"),
]


@pytest.mark.parametrize(("method", "name"), TRAINER_VIEWS)
@pytest.mark.parametrize("who", ["other_trainer", "participant"])
def test_outsiders_get_404_from_every_trainer_check_in_view(
    client, open_session, method, name, who, request
):
    person = request.getfixturevalue(who)
    if who == "other_trainer":  # a trainer with a session of their own
        mine = make_cohort(
            course=open_session.cohort.course, name="Theirs", trainer=person
        )
        make_session(mine)
    client.force_login(person)
    url = reverse(name, args=[open_session.pk])
    response = getattr(client, method)(url, {"attendees_text": "X"})
    assert response.status_code == 404
    open_session.refresh_from_db()
    assert checkin_is_open(session=open_session)
    assert not open_session.attendees.exists()
