"""Trainers' cohorts: opening one under the cohort the trainer was trained
in, and inviting people to it."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.languages import course_in_language
from enrolment.models import Cohort, Invitation

from ..parsing import EmailList, parse_email_list
from .qualifications import trainer_may_deliver
from .tree import cohort_place


def enrolment_key_generate() -> str:
    # Readable: no 0/O or 1/I/l; 8 characters from 31 is ~40 bits.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    for _attempt in range(10):
        key = "".join(secrets.choice(alphabet) for _ in range(8))
        if not Cohort.objects.filter(enrolment_key__iexact=key).exists():
            return key
    return secrets.token_hex(8)


@transaction.atomic
def cohort_open(
    *,
    trainer,
    course,
    name: str,
    country: str = "",
    institution: str = "",
    language: str = "en",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    mode: str = Cohort.Mode.ONLINE,
    capacity: int | None = None,
    enrolment_key: str = "",
    generate_key: bool = True,
) -> Cohort:
    """A trainer opens a cohort of a course they may deliver. Its parent is the
    cohort in which they were trained (their qualifying enrolment's cohort).

    The cohort delivers the course in its language: its course is the
    course's page in that language (its translation, or its alias while
    there is none: courses/languages.py), so that invitations, enrolments
    and progress land there and the participants stay in the language."""
    qualification = trainer_may_deliver(user=trainer, course=course)
    if qualification is None:
        raise ValidationError(
            {"course": _("You are not a qualified trainer for this course.")}
        )
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date is before the start date.")})
    enrolment_key = (enrolment_key or "").strip()
    if enrolment_key:
        if Cohort.objects.filter(enrolment_key__iexact=enrolment_key).exists():
            raise ValidationError(
                {"enrolment_key": _("This key is already used; choose another.")}
            )
    elif generate_key:
        enrolment_key = enrolment_key_generate()
    course = course_in_language(course, language)
    parent_id = None
    if qualification.qualifying_enrolment:
        parent_id = qualification.qualifying_enrolment.cohort_id
    cohort = Cohort.objects.create(
        course=course,
        name=name.strip(),
        country=country,
        institution=institution.strip(),
        language=language,
        starts_on=starts_on,
        ends_on=ends_on,
        mode=mode,
        capacity=capacity,
        enrolment_key=enrolment_key,
        trainer=trainer,
        parent_id=parent_id,
    )
    return cohort_place(cohort=cohort)


@dataclass
class InviteResult:
    invited: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)


INVITATION_WINDOW = datetime.timedelta(hours=24)


def trainer_require_delivering(*, cohort: Cohort, user) -> None:
    """New actions on a cohort (inviting, recording sessions) need its trainer
    to hold an active qualification for its course (the views' gatekeepers say
    404 already; this keeps the services honest on their own)."""
    if cohort.trainer_id != user.pk or (
        trainer_may_deliver(user=user, course=cohort.course) is None
    ):
        raise ValidationError(
            _("You are not a qualified trainer for this course any more.")
        )


def invitations_left_today(*, user) -> int:
    """How many more invitations `user` may send now: the daily limit
    (`RELAIS_TRAINER_INVITATIONS_PER_DAY`) less the invitations they created
    in the last 24 hours, counted in the database (so the count holds across
    requests, processes and hosts)."""
    since = timezone.now() - INVITATION_WINDOW
    sent = Invitation.objects.filter(invited_by=user, created_at__gte=since).count()
    return max(0, settings.RELAIS_TRAINER_INVITATIONS_PER_DAY - sent)


@transaction.atomic
def cohort_invite_emails(
    *, cohort: Cohort, emails: list[str], invited_by
) -> tuple[list[str], list[str]]:
    """Invite through the enrolment service, within the trainer's daily limit.
    Returns (the emails newly invited, the new ones left out by the limit);
    addresses already invited to the cohort are neither (no mail, no count)."""
    from enrolment import services as enrolment_services

    # One trainer's invitations one after the other, so that two posts at
    # once cannot both spend the same remaining allowance.
    get_user_model().objects.select_for_update().filter(pk=invited_by.pk).first()
    already = set(
        cohort.invitations.annotate(lower_email=Lower("email"))
        .filter(lower_email__in=[e.lower() for e in emails])
        .values_list("lower_email", flat=True)
    )
    fresh = [e for e in emails if e.lower() not in already]
    allowed = invitations_left_today(user=invited_by) if fresh else 0
    fresh, over_limit = fresh[:allowed], fresh[allowed:]
    if fresh:
        enrolment_services.invitations_create_bulk(
            cohort=cohort, emails=fresh, invited_by=invited_by
        )
    return fresh, over_limit


@transaction.atomic
def cohort_invite(*, cohort: Cohort, text: str, invited_by) -> InviteResult:
    """Invite the pasted addresses; bad ones and repeats are reported by value
    and invite nobody (nothing is sent unless the whole list is clean). Past
    the trainer's daily limit the rest are reported in `over_limit`."""
    trainer_require_delivering(cohort=cohort, user=invited_by)
    parsed: EmailList = parse_email_list(text)
    result = InviteResult(invalid=parsed.invalid, duplicates=parsed.duplicates)
    if not parsed.valid and not parsed.invalid:
        raise ValidationError(_("Paste at least one email address."))
    if parsed.invalid:
        return result
    invited, over_limit = cohort_invite_emails(
        cohort=cohort, emails=parsed.valid, invited_by=invited_by
    )
    new = {e.lower() for e in invited + over_limit}
    result.invited = invited
    result.over_limit = over_limit
    result.already_invited = [e for e in parsed.valid if e.lower() not in new]
    return result
