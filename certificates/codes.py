"""Public certificate codes: unguessable, easy to read aloud, typed any way.

16 symbols from a 31-symbol alphabet without 0/O/1/I/L: 31**16 is about
2**79, well beyond the 60 random bits asked for. Shown as
RLX-7KQ2-M9TD-4HXP-WZ3C; matched case-insensitively with or without the
prefix, dashes or spaces."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 16
GROUP = 4
PREFIX = "RLX"

_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def _format(symbols: str) -> str:
    groups = [symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP)]
    return "-".join([PREFIX, *groups])


def generate_code() -> str:
    return _format("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def normalise_code(raw: str) -> str | None:
    """The canonical form of a typed code, or None if it cannot be one."""
    compact = _NOT_ALNUM.sub("", (raw or "").upper())
    if len(compact) == LENGTH + len(PREFIX) and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != LENGTH or any(c not in ALPHABET for c in compact):
        return None
    return _format(compact)
