"""Celery's settings that do not depend on where the broker is, read by
base.py: delivery (late acknowledgement, redelivery when a worker is lost),
time limits, and the short socket timeouts that keep a request from hanging
on a Redis that is down (docs/performance.md "When Redis goes away")."""

from relais.env import env_str

__all__ = [
    "CELERY_TASK_EAGER_PROPAGATES",
    "CELERY_TASK_ACKS_LATE",
    "CELERY_TASK_REJECT_ON_WORKER_LOST",
    "CELERY_WORKER_PREFETCH_MULTIPLIER",
    "CELERY_TASK_SERIALIZER",
    "CELERY_RESULT_SERIALIZER",
    "CELERY_ACCEPT_CONTENT",
    "CELERY_TASK_TIME_LIMIT",
    "CELERY_TASK_SOFT_TIME_LIMIT",
    "CELERY_RESULT_EXPIRES",
    "CELERY_BROKER_TRANSPORT_OPTIONS",
    "CELERY_TASK_PUBLISH_RETRY_POLICY",
    "CELERY_REDIS_SOCKET_CONNECT_TIMEOUT",
    "CELERY_REDIS_SOCKET_TIMEOUT",
    "CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP",
    "CELERY_TIMEZONE",
    "CELERY_TASK_DEFAULT_QUEUE",
    "CELERY_DB_REUSE_MAX",
]

CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_RESULT_EXPIRES = 3600
# A task not acknowledged within this time is delivered again. It must be
# longer than the longest task (time limit above), or a slow task would run
# twice in parallel; the periodic sweep catches anything older.
#
# Short socket timeouts and one quick retry (a pooled connection that a
# Redis restart broke is replaced): a web request that publishes while
# Redis is down or hung gives up within about 0.4 s (the
# task's work is written in the database; the periodic sweep queues it
# again), instead of hanging on redis-py's and Celery's long defaults.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 900,
    "socket_connect_timeout": 0.2,
    "socket_timeout": 0.2,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.1,
}
# Results: the web process reads none (every task ignores its result).
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE") or "relais"
# Celery's Django fixup closes the database connection before and after every
# task unless this is set: a new PostgreSQL connection per task (~10 ms, the
# largest cost of a certificate render). Workers keep it instead and
# relais.celery closes it when broken or older than CONN_MAX_AGE, as Django
# does after each request.
CELERY_DB_REUSE_MAX = 1000
