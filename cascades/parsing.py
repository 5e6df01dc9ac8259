"""Reading what trainers paste: email lists and attendee lines. Pure functions,
no database; the services decide what to do with the result."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

_SEPARATORS = re.compile(r"[\s,;]+")


# What an email column holds (Django's EmailField); the validator alone
# accepts longer addresses.
EMAIL_MAX_LENGTH = 254


def is_valid_email(value: str) -> bool:
    if len(value) > EMAIL_MAX_LENGTH:
        return False
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


@dataclass
class EmailList:
    valid: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)


def parse_email_list(text: str) -> EmailList:
    """Emails one per line or separated by commas/semicolons/spaces. The first
    spelling of each address is kept; repeats (case-insensitive) are reported."""
    result = EmailList()
    seen: set[str] = set()
    for raw in _SEPARATORS.split(text or ""):
        value = raw.strip().strip("<>").strip()
        if not value:
            continue
        if not is_valid_email(value):
            result.invalid.append(value)
            continue
        key = value.lower()
        if key in seen:
            result.duplicates.append(value)
            continue
        seen.add(key)
        result.valid.append(value)
    return result


@dataclass(frozen=True)
class AttendeeLine:
    line: int
    name: str
    email: str
    institution: str


def parse_attendee_lines(text: str) -> tuple[list[AttendeeLine], list[str]]:
    """Lines of "name, email, institution" (email and institution optional;
    a semicolon or a tab also separates). Returns (attendees, errors), each
    error naming its line."""
    attendees: list[AttendeeLine] = []
    errors: list[str] = []
    seen_emails: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[,;\t]", line)]
        name = parts[0]
        email = parts[1] if len(parts) > 1 else ""
        institution = ", ".join(p for p in parts[2:] if p)
        if not name:
            errors.append(_("Line %(line)d: a name is required.") % {"line": number})
            continue
        if len(name) > 200 or len(institution) > 200:
            errors.append(
                _("Line %(line)d: name and institution must be under 200 characters.")
                % {"line": number}
            )
            continue
        if email and not is_valid_email(email):
            errors.append(
                _("Line %(line)d: “%(email)s” is not a valid email address.")
                % {"line": number, "email": email}
            )
            continue
        if email:
            earlier = seen_emails.get(email.lower())
            if earlier:
                errors.append(
                    _("Line %(line)d: %(email)s is already listed on line %(earlier)d.")
                    % {"line": number, "email": email, "earlier": earlier}
                )
                continue
            seen_emails[email.lower()] = number
        else:
            key = (name.casefold(), institution.casefold())
            earlier = seen_names.get(key)
            if earlier:
                errors.append(
                    _("Line %(line)d: %(name)s is already listed on line %(earlier)d.")
                    % {"line": number, "name": name, "earlier": earlier}
                )
                continue
            seen_names[key] = number
        attendees.append(
            AttendeeLine(line=number, name=name, email=email, institution=institution)
        )
    return attendees, errors
