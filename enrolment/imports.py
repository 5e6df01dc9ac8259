"""Bulk CSV import of participants: parsing and validation, as pure
functions (no database). The dry run and the job: `services.imports` and
`services.import_jobs`.

Columns: email, first name, last name, country (ISO code or English name),
institution, cohort (enrolment key, name or id). UTF-8 with or without BOM, or
Windows-1252 (a whole file of it: a file mixing the two is refused with the
line); comma or semicolon; LF, CRLF or CR line endings. A NUL character or a
value longer than its column is an error of its row, so that whatever the dry
run passes, the commit can store. A name or institution that a spreadsheet
would run as a formula (it starts with one of the exports' FORMULA_PREFIXES)
is an error of its row too: the import does not store what the exports would
have to neutralise."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django_countries import countries

from reports.exports import FORMULA_PREFIXES

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


def _line_of(text: str) -> int:
    """The line number of the character just after `text`."""
    return len(_LINE_BREAK.findall(text)) + 1


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


# A text file has next to no control characters (tab and line breaks aside);
# a spreadsheet, a PDF or a picture has many, NULs first. A few NULs in cells
# are the cells' errors (reported on their rows), not a binary file.
_BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
BINARY_SHARE = 0.01
BINARY_FEW = 16


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM), or Windows-1252 when no
    line of it is UTF-8. A file mixing the two is refused with the first line
    that is not UTF-8, rather than read as mojibake ("JosÃ©")."""
    if len(data) > MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than 5 MB. Split it and import the parts.")
        )
    _refuse_binary(data)
    bom = data.startswith(b"\xef\xbb\xbf")
    if bom:
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        loose = data.decode("utf-8", errors="surrogateescape")
        utf8_seen = bom or any(
            ord(c) > 0x7F and not 0xDC80 <= ord(c) <= 0xDCFF for c in loose
        )
        line = _line_of(data[: exc.start].decode("utf-8", errors="replace"))
        if utf8_seen:
            raise ImportRefused(
                _(
                    "Line %(line)s is not in UTF-8 like the rest of the file. "
                    "Save the whole file as UTF-8 (“CSV UTF-8”) and upload it again."
                )
                % {"line": line}
            ) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc1252:
            line = _line_of(data[: exc1252.start].decode("cp1252", errors="replace"))
            raise ImportRefused(
                _(
                    "Line %(line)s is neither UTF-8 nor Windows-1252 text. "
                    "Save the file as UTF-8 (“CSV UTF-8”) and upload it again."
                )
                % {"line": line}
            ) from None
    return text


def _refuse_binary(data: bytes) -> None:
    sample = data[:8192]
    first_line = sample.splitlines()[0] if sample else b""
    if _BINARY.search(first_line) or len(_BINARY.findall(sample)) > max(
        BINARY_FEW, BINARY_SHARE * len(sample)
    ):
        raise ImportRefused(
            _(
                "This is not a CSV text file (a spreadsheet or another binary "
                "file?). Save it as CSV (“CSV UTF-8”) and upload that."
            )
        )


# The columns stored as text on the account, which exports and the admin show.
TEXT_COLUMNS = ("first_name", "last_name", "institution")


def formula_error(key: str, cell: str) -> str | None:
    """The error of a text cell that a spreadsheet would run as a formula
    (the characters the exports neutralise), before or after its spaces are
    stripped; None for a plain cell."""
    value = cell if cell.startswith(FORMULA_PREFIXES) else cell.strip()
    if not value.startswith(FORMULA_PREFIXES):
        return None
    char = {"\t": _("a tab"), "\r": _("a carriage return")}.get(
        value[0], f"“{value[0]}”"
    )
    return _(
        "“%(column)s” starts with %(char)s, which a spreadsheet would run as "
        "a formula: remove it"
    ) % {"column": column_label(key), "char": char}


def _header_key(name: str) -> str:
    key = " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())
    return _ALIASES.get(key, key)


def column_label(key: str) -> str:
    return {
        "email": _("email"),
        "first_name": _("first name"),
        "last_name": _("last name"),
        "country": _("country"),
        "institution": _("institution"),
        "cohort": _("cohort"),
    }[key]


def parse(data: bytes) -> list[Row]:
    """Rows of the file, or ImportRefused. Line numbers count the header as 1.
    A row with fewer cells than the header gets a 'missing column' error, a
    cell with a NUL character an error naming its column (the NUL replaced,
    so that nothing further sees it). Line endings may be LF, CRLF or CR."""
    text = decode(data)
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
    # newline=None: universal newlines, so a CR-only file (old Mac Excel)
    # reads as lines too.
    # strict: an unclosed quote is an error, not the rest of the file in a cell.
    reader = csv.reader(
        io.StringIO(text, newline=None), delimiter=delimiter, strict=True
    )
    try:
        header = next(reader)
        rows = _rows(reader, header)
    except StopIteration:
        raise ImportRefused(_("The file is empty.")) from None
    except csv.Error:
        raise ImportRefused(
            _(
                "Line %(line)s cannot be read as CSV: check its quotes (a cell "
                "that opens a quote must close it)."
            )
            % {"line": reader.line_num}
        ) from None
    if not rows:
        raise ImportRefused(
            _("The file has no rows: only a header line. Add one line per person.")
        )
    return rows


def _rows(reader, header: list[str]) -> list[Row]:
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
        with_nul = []
        formulas = []
        for i, key in enumerate(keys):
            if key not in COLUMNS:
                continue
            if i < len(cells):
                if key in TEXT_COLUMNS:
                    error = formula_error(key, cells[i])
                    if error:
                        formulas.append(error)
                value = cells[i].strip()
                if "\x00" in value:
                    with_nul.append(key)
                    value = value.replace("\x00", "\ufffd")
                values[key] = value
            else:
                missing.append(header[i].strip())
        cells_by_column: dict[str, Any] = {k: values.get(k, "") for k in COLUMNS}
        row = Row(line=line, **cells_by_column)
        if missing:
            row.errors.append(
                _("missing column: %(columns)s") % {"columns": ", ".join(missing)}
            )
        for key in with_nul:
            row.errors.append(
                _("“%(column)s” contains a NUL character")
                % {"column": column_label(key)}
            )
        row.errors.extend(formulas)
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
