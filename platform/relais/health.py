"""Liveness checks behind /healthz."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


def check_broker() -> str | None:
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None  # in-process (eager) mode: nothing to reach
    import redis

    try:
        # Short: a hung broker makes /healthz answer 503 at once, not hang.
        client = redis.Redis.from_url(
            url, socket_connect_timeout=0.25, socket_timeout=0.25
        )
        client.ping()
        client.close()
    except Exception as exc:
        return f"{type(exc).__name__}"
    return None


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "broker": check_broker()}
    down = sorted(name for name, error in checks.items() if error)
    body: dict[str, object] = {
        "status": "ok" if not down else "down",
        "database": "ok" if not checks["database"] else "down",
        "broker": ("ok" if not checks["broker"] else "down")
        if settings.CELERY_BROKER_URL.startswith(("redis", "unix"))
        else "in-process",
    }
    if down:
        body["down"] = down
    return not down, body
