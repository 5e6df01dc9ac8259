"""Cached figures that the services drop when they change what is counted.

The one rule: a figure (a report's table, a trainer's cascade summary) is
cached under a key that carries the current version of every data group it
counts, for example ``depends_on=("enrolments", "cascades")``. A service
that changes such data calls ``changed("enrolments")``; once its transaction
commits, the group gets a new version, so every figure that counts it is
worked out again on its next read. Entries also expire after ``timeout``
seconds, which bounds what no service announces (a row edited by hand in the
Django admin).

Groups are named after the data, not after the pages that show it:
``enrolments`` (enrolments, their status, cohorts), ``progress`` (lesson
progress, quiz attempts, the course tree), ``certificates`` and ``cascades``
(trainer qualifications, sessions, attendees, cohort parents).

A cache outage costs only the work: ``cached`` computes without storing,
``changed`` logs and goes on (the entries expire on their own)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GROUPS = frozenset({"enrolments", "progress", "certificates", "cascades"})

T = TypeVar("T")


def _version_key(group: str) -> str:
    return f"relais:version:{group}"


def _check(groups: Iterable[str]) -> tuple[str, ...]:
    groups = tuple(groups)
    unknown = set(groups) - GROUPS
    if unknown:
        raise ValueError(f"Unknown cache group(s): {', '.join(sorted(unknown))}")
    return groups


def _versions(groups: tuple[str, ...]) -> list[str]:
    keys = [_version_key(group) for group in groups]
    found = cache.get_many(keys)
    versions = []
    for key in keys:
        version = found.get(key)
        if version is None:
            # First use, or evicted: agree on one new version (add is atomic).
            cache.add(key, uuid.uuid4().hex, None)
            version = cache.get(key) or "new"
        versions.append(version)
    return versions


def cached(
    key: str,
    compute: Callable[[], T],
    *,
    depends_on: Iterable[str],
    timeout: int,
) -> T:
    """``compute()``, kept for ``timeout`` seconds under ``key`` and the
    versions of the ``depends_on`` groups (two cache round trips when it is
    there). ``timeout`` 0 or less turns caching off."""
    groups = _check(depends_on)
    if timeout <= 0:
        return compute()
    try:
        full_key = ":".join([key, *_versions(groups)])
        value = cache.get(full_key)
    except Exception:  # noqa: BLE001 - a figure works without the cache
        logger.warning("cache unavailable: %s computed uncached", key, exc_info=True)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(full_key, value, timeout)
        except Exception:  # noqa: BLE001
            logger.warning("cache unavailable: %s not stored", key, exc_info=True)
    return value


def _bump(groups: tuple[str, ...]) -> None:
    try:
        cache.set_many(
            {_version_key(group): uuid.uuid4().hex for group in groups}, None
        )
    except Exception:  # noqa: BLE001 - entries still expire on their own
        logger.warning("cache unavailable: %s not dropped", groups, exc_info=True)


def changed(*groups: str) -> None:
    """Announce that the data of these groups changed: their cached figures
    are dropped when the current transaction commits (at once outside one)."""
    checked = _check(groups)
    transaction.on_commit(lambda: _bump(checked))
