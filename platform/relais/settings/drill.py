"""`make drill`: the benchmark's settings (production with the demo app) and a
shorter redelivery for the tasks of a worker host that was killed.

With production's values a message held by a dead worker host comes back
after the broker's visibility timeout (900 s) and a render it had claimed is
swept after STALE_RENDER (5 min): right for real hosts, longer than the
drill's ten minutes. The drill's tasks take milliseconds, so it lowers the
task time limit to 40 s and the visibility timeout to 60 s, keeping the rule
that the timeout outlives the longest task (settings/tasks.py), and lets
kombu look for expired messages every 5 s. The redelivered render then takes
over its dead claim at once (certificates/services/render.py). Never for a
real deployment."""

from .bench import *  # noqa: F403

CELERY_TASK_TIME_LIMIT = 40
CELERY_TASK_SOFT_TIME_LIMIT = 30
CELERY_BROKER_TRANSPORT_OPTIONS = {
    **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
    "visibility_timeout": 60,
    "unacked_restore_interval": 5,
    "unacked_restore_throttle": 1,
}
RELAIS_BENCH_VIEWS = False
