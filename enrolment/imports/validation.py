"""The rules a parsed row must meet (pure: every fact about the database
comes in as an argument): emails, countries, column lengths, cohorts and
seats, accounts already enrolled."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from .parsing import Row, column_label


def country_code(value: str) -> str | None:
    """ISO code (alpha-2, alpha-3 or numeric) or English name -> alpha-2;
    '' for empty, None if unknown."""
    value = (value or "").strip()
    if not value:
        return ""
    code = countries.alpha2(value)
    if code:
        return code
    code = countries.by_name(value, insensitive=True)
    return code or None


def column_max_lengths() -> dict[str, int]:
    """The longest value each stored column takes (the User model's fields)."""
    from accounts.models import User

    limits = {}
    for key in ("email", "first_name", "last_name", "institution"):
        model_field = User._meta.get_field(key)
        max_length = getattr(model_field, "max_length", None)
        if max_length:
            limits[key] = max_length
    return limits


@dataclass
class CohortInfo:
    id: int
    name: str
    course_id: int
    capacity: int | None
    seated: int
    enrolment_key: str = ""


def validate_rows(
    rows: list[Row],
    *,
    cohorts: list[CohortInfo],
    default_cohort_id: int | None,
    users_by_email: dict[str, int],
    seated_course_ids_by_user: dict[int, set[int]],
    max_lengths: dict[str, int] | None = None,
) -> list[Row]:
    """Fill each row's errors, cohort and user. Pure: every fact about the
    database comes in through the arguments. `max_lengths`: the columns'
    limits in the database (default: the User model's), checked for every
    column so that a row the dry run passes is one the commit can store."""
    limits = max_lengths if max_lengths is not None else column_max_lengths()
    by_id = {c.id: c for c in cohorts}
    # Case does not matter, as when a participant enrols with the key
    # (services.enrolments.cohort_for_key); keys are unique that way.
    by_key = {c.enrolment_key.strip().lower(): c for c in cohorts if c.enrolment_key}
    by_name: dict[str, list[CohortInfo]] = {}
    for c in cohorts:
        by_name.setdefault(c.name.strip().lower(), []).append(c)
    seen: dict[tuple[str, int], int] = {}
    new_seats: dict[int, int] = {}
    country_codes: dict[str, str | None] = {}
    for row in rows:
        for column, limit in limits.items():
            if len(getattr(row, column)) > limit:
                row.errors.append(
                    _("“%(column)s” is longer than %(n)s characters")
                    % {"column": column_label(column), "n": limit}
                )
        email = row.email.strip()
        if not email:
            row.errors.append(_("missing email"))
        elif "\ufffd" in email:
            pass  # a NUL was there: already reported
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("invalid email “%(email)s”") % {"email": email})
        # by_name reads every country's name (9 ms): once per distinct value.
        if row.country not in country_codes:
            country_codes[row.country] = country_code(row.country)
        code = country_codes[row.country]
        if code is None:
            row.errors.append(_("unknown country “%(c)s”") % {"c": row.country})
        else:
            row.country = code
        cohort = None
        ref = row.cohort.strip()
        if ref:
            if ref.lower() in by_key:
                cohort = by_key[ref.lower()]
            elif ref.isdigit() and int(ref) in by_id:
                cohort = by_id[int(ref)]
            else:
                matches = by_name.get(ref.lower(), [])
                if len(matches) == 1:
                    cohort = matches[0]
                elif len(matches) > 1:
                    row.errors.append(
                        _("cohort name “%(c)s” is ambiguous: use its id") % {"c": ref}
                    )
                else:
                    row.errors.append(_("unknown cohort “%(c)s”") % {"c": ref})
        elif default_cohort_id is not None and default_cohort_id in by_id:
            cohort = by_id[default_cohort_id]
        else:
            row.errors.append(_("missing cohort"))
        if cohort is not None:
            row.cohort_id, row.course_id = cohort.id, cohort.course_id
        if email and row.course_id is not None:
            key = (email.lower(), row.course_id)
            if key in seen:
                row.errors.append(_("duplicate of line %(line)s") % {"line": seen[key]})
            else:
                seen[key] = row.line
            user_id = users_by_email.get(email.lower())
            row.user_id = user_id
            if user_id and row.course_id in seated_course_ids_by_user.get(
                user_id, set()
            ):
                row.errors.append(_("already enrolled in this course"))
        if row.ok and cohort is not None and cohort.capacity is not None:
            taken = cohort.seated + new_seats.get(cohort.id, 0)
            if taken >= cohort.capacity:
                row.errors.append(_("cohort “%(c)s” is full") % {"c": cohort.name})
            else:
                new_seats[cohort.id] = new_seats.get(cohort.id, 0) + 1
    return rows
