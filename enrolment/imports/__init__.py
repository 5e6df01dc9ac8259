"""Bulk CSV import of participants, as pure functions (no database):
`parsing` reads a file into rows (encodings, line endings, binary files,
NUL bytes, formula cells), `validation` checks them against the facts the
caller passes in. The dry run and the job: `services.imports` and
`services.import_jobs`."""

from .parsing import (
    COLUMNS,
    MAX_BYTES,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    ImportRefused,
    Row,
    column_label,
    decode,
    formula_error,
    parse,
)
from .validation import CohortInfo, column_max_lengths, country_code, validate_rows

__all__ = [
    "COLUMNS",
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "CohortInfo",
    "ImportRefused",
    "Row",
    "column_label",
    "column_max_lengths",
    "country_code",
    "decode",
    "formula_error",
    "parse",
    "validate_rows",
]
