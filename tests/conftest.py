"""Shared fixtures: personas (participant, trainer, admin, outsider), the site,
and real services (Redis, a Celery worker process) when CI provides them.

Under CI=true nothing may be skipped: a test that would skip fails instead,
and PostgreSQL/Redis must be configured."""

from __future__ import annotations

import os

import pytest

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_configure(config):
    if CI:
        missing = [v for v in ("DATABASE_URL", "REDIS_URL") if not os.environ.get(v)]
        if missing:
            raise pytest.UsageError(
                f"CI=true but {', '.join(missing)} not set: the suite must run on "
                "PostgreSQL and Redis in CI."
            )


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logreport(report):
    # In CI a skip is a failure: nothing may silently fall back.
    if CI and report.skipped and report.when in {"setup", "call"}:
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.longrepr = f"Skipped under CI=true, which is not allowed: {reason}"


def uses_postgres() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def require_services(*, postgres: bool = False, redis: bool = False) -> None:
    """Skip locally when a real service is missing; CI turns a skip into a failure."""
    from django.conf import settings

    if postgres and not uses_postgres():
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    if redis and not settings.REDIS_URL:
        pytest.skip("needs Redis (set REDIS_URL)")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Changing STORAGES through pytest-django's `settings` makes Django drop
    # its storage instances (the setting_changed signal), here and again when
    # the test ends and the setting is restored.
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in English: a request to a /fr/ page (or a test that
    activates a language) leaves it active in the thread for the next test."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(scope="session")
def _cache_redis():
    """A Redis client on the cache's server, when the cache is Redis."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"]
    if not backend.endswith(".RedisCache"):
        yield None
        return
    import redis

    client = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    yield client
    client.close()


@pytest.fixture(autouse=True)
def _clear_cache(_cache_redis):
    """Empty this test process's cache. On Redis only our own keys go (the
    prefix is per process, see relais.settings.test): cache.clear() is FLUSHDB,
    which would also wipe the Celery broker's queues and the cache of parallel
    test processes."""
    from django.core.cache import cache

    if _cache_redis is None:
        cache.clear()
    else:
        keys = list(_cache_redis.scan_iter(match=f"{cache.key_prefix}:*", count=1000))
        if keys:
            _cache_redis.delete(*keys)
    yield


@pytest.fixture
def site(db):
    from home.services import site_ensure

    return site_ensure()


def _make_user(email: str, **fields):
    from demo.accounts import ensure_verified_user

    return ensure_verified_user(email=email, password="correct-horse-battery", **fields)


@pytest.fixture
def participant(db):
    return _make_user(
        "alice@example.org",
        first_name="Alice",
        last_name="Mbeki",
        country="UG",
        institution="Ministry of Internal Affairs",
    )


@pytest.fixture
def other_participant(db):
    return _make_user(
        "bob@example.org", first_name="Bob", last_name="Silva", country="BR"
    )


@pytest.fixture
def outsider(db):
    return _make_user("charlie@example.org", first_name="Charlie", last_name="Outis")


@pytest.fixture
def trainer(db):
    return _make_user(
        "tina@example.org",
        first_name="Tina",
        last_name="Kamara",
        country="CM",
        institution="MINREX",
    )


@pytest.fixture
def admin_user(db):
    return _make_user(
        "admin@example.org",
        first_name="Ada",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )


PASSWORD = "correct-horse-battery"


def reauthenticate(client, password: str = PASSWORD) -> None:
    """Confirm the password, as staff do before a revocation or an export of
    personal data (accounts.decorators; it then holds for five minutes)."""
    response = client.post("/en/accounts/reauthenticate/", {"password": password})
    assert response.status_code == 302, response.content


@pytest.fixture
def redis_url(settings):
    require_services(redis=True)
    return settings.REDIS_URL


@pytest.fixture
def celery_worker(
    transactional_db, django_db_serialized_rollback, redis_url, tmp_path, settings
):
    """A real `celery worker` process on Redis and the shared test database.
    The in-process app publishes to the broker while it runs."""
    require_services(postgres=True, redis=True)
    from tests.workers import Worker, private_storage_at, running

    queue = f"relais-test-{os.getpid()}-{tmp_path.name}"
    worker = Worker(workdir=tmp_path / "worker", queue=queue, redis_url=redis_url)
    settings.PRIVATE_MEDIA_ROOT = str(worker.private_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_at(worker.private_root),
    }
    with running(worker):
        yield worker
