"""Read settings from the environment, failing early with a message that names
the variable (never a traceback deep inside Django)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip()


def env_required(name: str) -> str:
    value = env_str(name)
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production mode "
            "and is not set. See .env.example."
        )
    return value


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"The environment variable {name}={raw!r} is not a boolean: "
        "use true/false, yes/no, on/off or 1/0."
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(
            f"The environment variable {name}={raw!r} is not a whole number."
        ) from None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str = "DATABASE_URL", default: str | None = None) -> dict:
    import dj_database_url

    raw = env_str(name) or default
    if not raw:
        raise ImproperlyConfigured(f"The environment variable {name} is not set.")
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(
            f"The environment variable {name} is not a database URL "
            f"({exc}). Example: postgres://user:password@127.0.0.1:5432/relais"
        ) from None
    if not config.get("ENGINE") or not config.get("NAME"):
        raise ImproperlyConfigured(
            f"The environment variable {name} names no database. "
            "Example: postgres://user:password@127.0.0.1:5432/relais"
        )
    return dict(config)


def env_redis_url(name: str = "REDIS_URL", default: str | None = None) -> str | None:
    raw = env_str(name) or default
    if not raw:
        return None
    if not raw.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"The environment variable {name}={raw!r} is not a Redis URL. "
            "Example: redis://127.0.0.1:6379/0"
        )
    return raw


def redis_url_next_db(url: str, offset: int, *, role: str, variable: str) -> str:
    """`url` with its database number moved up by `offset` (redis://h:6379/2
    with offset 1 is redis://h:6379/3), for a role that must not share the
    cache's database. Redis has databases 0-15 by default."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        raise ImproperlyConfigured(
            f"REDIS_URL is a unix socket: set {variable} for the {role} explicitly."
        )
    path = parts.path.strip("/")
    database = (int(path) if path.isdigit() else 0) + offset
    if database > 15:
        raise ImproperlyConfigured(
            f"REDIS_URL uses database {database - offset}, so the {role} would use "
            f"database {database}, past Redis's default 16: use a lower database "
            f"in REDIS_URL or set {variable}."
        )
    return urlunsplit(parts._replace(path=f"/{database}"))
