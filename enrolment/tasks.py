"""Celery tasks of the enrolment app: thin wrappers over the services."""

from __future__ import annotations

from celery import shared_task

from .services.progress import furthest_lesson_refresh_around


@shared_task(name="enrolment.refresh_furthest_lesson", ignore_result=True)
def refresh_furthest_lesson(paths: list[str], only_missing: bool = False) -> int:
    """A lesson or module moved or was deleted (the page paths around it):
    its courses' furthest lessons are worked out again, outside the editor's
    request. Idempotent: only changed rows are written."""
    return furthest_lesson_refresh_around(paths=paths, only_missing=only_missing)
