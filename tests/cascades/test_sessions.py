import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cascades.models import SessionAttendee, TrainingSession
from cascades.services import session_record
from enrolment.models import Invitation
from tests.factories import make_cohort


@pytest.fixture
def cohort(workshop, qualified_trainer):
    return make_cohort(course=workshop, name="Douala", trainer=qualified_trainer)


def _record(cohort, trainer, **overrides):
    fields = {
        "held_on": timezone.localdate(),
        "place": "MINREX, Yaoundé",
        "duration_hours": Decimal("6.0"),
        "participants_women": 3,
        "participants_men": 2,
        "participants_other": 0,
        "attendees_text": "",
    }
    fields.update(overrides)
    return session_record(cohort=cohort, recorded_by=trainer, **fields)


def test_a_session_with_attendees_is_recorded_and_emails_are_invited(cohort, trainer):
    session = _record(
        cohort,
        trainer,
        attendees_text="Awa Fotso, awa@example.org, MINREX\nPaul Ngono",
    )
    assert session.participants_total == 5
    assert list(session.attendees.values_list("name", flat=True).order_by("id")) == [
        "Awa Fotso",
        "Paul Ngono",
    ]
    assert list(
        Invitation.objects.filter(cohort=cohort).values_list("email", flat=True)
    ) == ["awa@example.org"]


def test_negative_counts_are_refused(cohort, trainer):
    with pytest.raises(ValidationError) as exc:
        _record(cohort, trainer, participants_men=-1)
    assert "participants_men" in exc.value.message_dict
    assert not TrainingSession.objects.exists()


def test_more_listed_attendees_than_counted_is_refused(cohort, trainer):
    with pytest.raises(ValidationError) as exc:
        _record(
            cohort,
            trainer,
            participants_women=1,
            participants_men=0,
            attendees_text="A One\nB Two",
        )
    assert "attendees_text" in exc.value.message_dict
    assert not SessionAttendee.objects.exists()


def test_a_date_more_than_a_year_ahead_is_refused(cohort, trainer):
    with pytest.raises(ValidationError) as exc:
        _record(
            cohort, trainer, held_on=timezone.localdate() + datetime.timedelta(days=400)
        )
    assert "held_on" in exc.value.message_dict


def test_invalid_and_duplicate_attendee_emails_are_reported_by_line(cohort, trainer):
    with pytest.raises(ValidationError) as exc:
        _record(
            cohort,
            trainer,
            participants_women=9,
            attendees_text=(
                "Awa, awa@example.org\nBad One, not-an-email\nAwa again, AWA@example.org"
            ),
        )
    messages = exc.value.message_dict["attendees_text"]
    assert any("Line 2" in m and "not-an-email" in m for m in messages)
    assert any("Line 3" in m and "line 1" in m for m in messages)
    assert not TrainingSession.objects.exists()
    assert not Invitation.objects.exists()


def test_a_past_session_needs_at_least_one_participant(cohort, trainer):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        _record(
            cohort, trainer, held_on=yesterday, participants_women=0, participants_men=0
        )
    assert not TrainingSession.objects.exists()


def test_a_session_today_may_start_at_zero_for_its_check_in(cohort, trainer):
    session = _record(cohort, trainer, participants_women=0, participants_men=0)
    assert session.participants_total == 0
    assert session.held_on == timezone.localdate()


@pytest.mark.parametrize("field", ["participants_women", "participants_other"])
@pytest.mark.parametrize("value", ["99999999999999999999", "-1"])
def test_a_head_count_no_column_holds_is_a_form_error(field, value):
    from cascades.forms import SessionForm

    data = {
        "held_on": "2025-06-01",
        "place": "Gulu",
        "duration_hours": "2",
        "participants_women": "1",
        "participants_men": "1",
        "participants_other": "0",
        field: value,
    }
    form = SessionForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]
