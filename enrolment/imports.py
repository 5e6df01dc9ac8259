"""Bulk CSV import of participants: parsing and validation, as pure
functions (no database). The write is `services.imports.import_commit`.

Columns: email, first name, last name, country (ISO code or English name),
institution, cohort (name or id). UTF-8 with or without BOM, or
Windows-1252; comma or semicolon."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000

COLUMNS = ["email", "first_name", "last_name", "country", "institution", "cohort"]
REQUIRED_COLUMNS = ["email"]
_ALIASES = {
    "email": "email",
    "e mail": "email",
    "email address": "email",
    "first name": "first_name",
    "firstname": "first_name",
    "given name": "first_name",
    "last name": "last_name",
    "lastname": "last_name",
    "surname": "last_name",
    "family name": "last_name",
    "country": "country",
    "institution": "institution",
    "organisation": "institution",
    "organization": "institution",
    "cohort": "cohort",
    "group": "cohort",
}


class ImportRefused(Exception):
    """The whole file is refused (too big, unreadable, no email column)."""


@dataclass
class Row:
    line: int
    email: str
    first_name: str = ""
    last_name: str = ""
    country: str = ""
    institution: str = ""
    cohort: str = ""
    # filled by validate_rows
    cohort_id: int | None = None
    course_id: int | None = None
    user_id: int | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than 5 MB. Split it and import the parts.")
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _header_key(name: str) -> str:
    key = " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    return _ALIASES.get(key, key)


def parse(data: bytes) -> list[Row]:
    """Rows of the file, or ImportRefused. Line numbers count the header as 1.
    A row with fewer cells than the header gets a 'missing column' error."""
    text = decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
    except csv.Error:
        dialect = csv.excel
        if sample.count(";") > sample.count(","):
            dialect = csv.excel
            dialect.delimiter = ";"
    reader = csv.reader(io.StringIO(text), delimiter=dialect.delimiter, quotechar='"')
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    keys = [_header_key(h) for h in header]
    for required in REQUIRED_COLUMNS:
        if required not in keys:
            raise ImportRefused(_("The file has no “email” column in its first line."))
    rows: list[Row] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportRefused(
                _("The file has more than %(n)s rows. Split it and import the parts.")
                % {"n": f"{MAX_ROWS:,}"}
            )
        values = {}
        missing = []
        for i, key in enumerate(keys):
            if key not in COLUMNS:
                continue
            if i < len(cells):
                values[key] = cells[i].strip()
            else:
                missing.append(header[i].strip())
        cells_by_column: dict[str, Any] = {k: values.get(k, "") for k in COLUMNS}
        row = Row(line=line, **cells_by_column)
        if missing:
            row.errors.append(
                _("missing column: %(columns)s") % {"columns": ", ".join(missing)}
            )
        rows.append(row)
    return rows


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


@dataclass
class CohortInfo:
    id: int
    name: str
    course_id: int
    capacity: int | None
    seated: int


def validate_rows(
    rows: list[Row],
    *,
    cohorts: list[CohortInfo],
    default_cohort_id: int | None,
    users_by_email: dict[str, int],
    seated_course_ids_by_user: dict[int, set[int]],
) -> list[Row]:
    """Fill each row's errors, cohort and user. Pure: every fact about the
    database comes in through the arguments."""
    by_id = {c.id: c for c in cohorts}
    by_name: dict[str, list[CohortInfo]] = {}
    for c in cohorts:
        by_name.setdefault(c.name.strip().lower(), []).append(c)
    seen: dict[tuple[str, int], int] = {}
    new_seats: dict[int, int] = {}
    for row in rows:
        email = row.email.strip()
        if not email:
            row.errors.append(_("missing email"))
        else:
            try:
                validate_email(email)
            except ValidationError:
                row.errors.append(_("invalid email “%(email)s”") % {"email": email})
        code = country_code(row.country)
        if code is None:
            row.errors.append(_("unknown country “%(c)s”") % {"c": row.country})
        else:
            row.country = code
        cohort = None
        ref = row.cohort.strip()
        if ref:
            if ref.isdigit() and int(ref) in by_id:
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
