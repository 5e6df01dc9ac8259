"""Cache, Celery broker and results in separate Redis databases: flushing
the cache loses no queued task."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from relais.env import redis_url_next_db
from tests.conftest import require_services


def test_roles_default_to_the_next_databases_of_redis_url():
    url = "redis://127.0.0.1:6379/3"
    kwargs = {"role": "r", "variable": "V"}
    assert redis_url_next_db(url, 1, **kwargs) == "redis://127.0.0.1:6379/4"
    assert redis_url_next_db(url, 2, **kwargs) == "redis://127.0.0.1:6379/5"
    assert redis_url_next_db("redis://h:1", 1, **kwargs) == "redis://h:1/1"


def test_a_role_past_the_sixteenth_database_is_refused_with_the_variable():
    with pytest.raises(ImproperlyConfigured, match="CELERY_RESULT_BACKEND"):
        redis_url_next_db(
            "redis://h:6379/14", 2, role="results", variable="CELERY_RESULT_BACKEND"
        )


def test_settings_give_each_role_its_own_database(settings):
    require_services(redis=True)
    locations = {
        settings.CACHES["default"]["LOCATION"],
        settings.CELERY_BROKER_URL,
        settings.CELERY_RESULT_BACKEND,
    }
    assert len(locations) == 3


def test_flushing_the_cache_loses_no_queued_task(settings):
    require_services(redis=True)
    import redis
    from django.core.cache import cache

    from relais.celery import app, ping

    queue = f"relais-test-roles-{id(settings)}"
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    broker.delete(queue)
    try:
        # send_task publishes to the broker even when the suite runs tasks eagerly.
        app.send_task(ping.name, args=["kept"], queue=queue)
        assert broker.llen(queue) == 1
        cache.set("something", "cached")
        cache.clear()  # FLUSHDB on the cache's database
        assert cache.get("something") is None
        assert broker.llen(queue) == 1
    finally:
        broker.delete(queue)
