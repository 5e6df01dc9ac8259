"""When may a cached count be reused? Fingerprints of the data it counts.

Reports and cascade summaries aggregate over 100,000 enrolments; they are
cached (Redis) under a key that includes `marks`: the newest primary key of
each table they count, read in one query of index look-ups (well under a
millisecond). Every enrolment, status change or cohort move writes a row (an
`EnrolmentEvent`), so do certificates (`CertificateEvent`), progress, cohorts,
sessions, attendees and qualifications: a new row gives a new key, and the
next page counts again. Changes that write no new row are noted by the cascade
services (`cascade_changed`: a cohort's parent, a qualification withdrawn or
re-pointed). What neither catches (a profile's country edited, a row deleted
in the Django admin) shows once the cache entry expires (its TTL)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model

from enrolment.models import Cohort, Enrolment, EnrolmentEvent

from .models import SessionAttendee, TrainerQualification, TrainingSession

logger = logging.getLogger(__name__)

_COUNTER = "cascade:changes"
# What a cascade's reach counts (with the people's emails, whose edits show
# within the TTL).
CASCADE_MODELS = (
    Cohort,
    Enrolment,
    EnrolmentEvent,
    TrainingSession,
    SessionAttendee,
    TrainerQualification,
)


def newest_ids(models: Iterable[type[Model]]) -> tuple:
    """The newest primary key of each model's table, in one query."""
    parts = [
        f"(SELECT MAX({m._meta.pk.column}) FROM {m._meta.db_table})"  # noqa: S608
        for m in models
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(cursor.fetchone())


def cascade_changes() -> int:
    """How many cascade changes that write no new row were noted (0 when the
    cache is down: the TTL still bounds how old a figure can be)."""
    try:
        return int(cache.get(_COUNTER) or 0)
    except Exception:  # noqa: BLE001 - figures work without the cache
        return 0


def _count_change() -> None:
    try:
        try:
            cache.incr(_COUNTER)
        except ValueError:  # not set yet
            cache.set(_COUNTER, 1, None)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable", exc_info=True)


def cascade_changed() -> None:
    """Note a change to a cascade that adds no row (see the module doc): now,
    and again once committed (a read in between may have cached the old)."""
    _count_change()
    transaction.on_commit(_count_change)


def cached(key: str, compute: Callable, *, seconds: int):
    """`compute()`, kept `seconds` under `key`; a cache outage costs only the
    queries."""
    if seconds <= 0:
        return compute()
    try:
        value = cache.get(key)
    except Exception:  # noqa: BLE001
        logger.warning("cache unavailable", exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, seconds)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable", exc_info=True)
    return value
