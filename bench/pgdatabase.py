"""Create the bench's PostgreSQL database when it is missing."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


def create_if_missing(database_url: str) -> bool:
    """Create the database named in `database_url`; True if it was created.

    Connects to the server's `postgres` database to do it. Raises
    psycopg.OperationalError when the server does not answer."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        if conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')
        return True
