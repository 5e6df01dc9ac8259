"""Arabic date-and-time formats Django's own `ar` formats leave unset: its
date formats ("j F، Y", month names in Arabic, Western digits) are kept,
and the date-time ones follow them, instead of falling back to the
English-style "N j, Y, P" of settings. Everything else comes from
django/conf/locale/ar/formats.py (docs/languages.md)."""

DATETIME_FORMAT = "j F، Y، g:i A"
SHORT_DATETIME_FORMAT = "d\u200f/m\u200f/Y g:i A"
