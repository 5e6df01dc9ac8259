import pytest
from django.core.exceptions import ValidationError

from cascades.parsing import parse_email_list
from cascades.services import cohort_invite
from enrolment.models import Invitation
from tests.factories import make_cohort


@pytest.fixture
def cohort(workshop, qualified_trainer):
    return make_cohort(course=workshop, name="Douala", trainer=qualified_trainer)


def test_emails_split_on_lines_commas_and_semicolons():
    parsed = parse_email_list(
        "a@example.org, b@example.org;c@example.org\nd@example.org"
    )
    assert parsed.valid == [
        "a@example.org",
        "b@example.org",
        "c@example.org",
        "d@example.org",
    ]


def test_good_emails_are_invited_and_repeats_reported(cohort, trainer):
    result = cohort_invite(
        cohort=cohort,
        text="ann@example.org\nben@example.org, ANN@example.org",
        invited_by=trainer,
    )
    assert result.invited == ["ann@example.org", "ben@example.org"]
    assert result.duplicates == ["ANN@example.org"]
    assert Invitation.objects.filter(cohort=cohort).count() == 2


def test_a_bad_email_is_reported_by_value_and_nobody_is_invited(cohort, trainer):
    result = cohort_invite(
        cohort=cohort,
        text="ann@example.org; nope@; ben@example.org",
        invited_by=trainer,
    )
    assert result.invalid == ["nope@"]
    assert not Invitation.objects.exists()


def test_inviting_someone_again_is_reported_as_already_invited(cohort, trainer):
    cohort_invite(cohort=cohort, text="ann@example.org", invited_by=trainer)
    result = cohort_invite(cohort=cohort, text="Ann@example.org", invited_by=trainer)
    assert result.invited == []
    assert result.already_invited == ["Ann@example.org"]
    assert Invitation.objects.count() == 1


def test_an_empty_paste_is_refused(cohort, trainer):
    with pytest.raises(ValidationError):
        cohort_invite(cohort=cohort, text=" ,; ", invited_by=trainer)


def test_an_address_longer_than_the_email_column_is_invalid():
    long_address = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".org"
    assert 254 < len(long_address) <= 320
    parsed = parse_email_list(f"ok@example.org {long_address}")
    assert parsed.valid == ["ok@example.org"]
    assert parsed.invalid == [long_address]
