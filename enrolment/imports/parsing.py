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

from django.utils.translation import gettext as _

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
