"""The Celery app. Settings come from Django's (CELERY_* names); the beat
schedule lives here, one entry per periodic job with why it exists."""

import os

from celery import Celery, signals
from celery.schedules import crontab  # noqa: F401  (used by entries below)
from django.core.exceptions import ImproperlyConfigured

from relais.env import env_int

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.dev")

app = Celery("relais")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# How often beat runs the three sweeps below: RELAIS_SWEEP_SECONDS, two
# minutes unless set (`make drill` runs them every few seconds).
SWEEP_SECONDS = float(env_int("RELAIS_SWEEP_SECONDS", 120))
if SWEEP_SECONDS < 1:
    raise ImproperlyConfigured(
        f"The environment variable RELAIS_SWEEP_SECONDS={SWEEP_SECONDS:.0f} must "
        "be a number of seconds (1 or more)."
    )

app.conf.beat_schedule = {
    # A broker outage or a killed worker leaves certificates pending or stuck in
    # rendering, emails unsent and certificate jobs (regenerate, ZIP) queued or
    # claimed by a dead worker; this sweep queues them again so that none is
    # lost (each task claims its work, so a duplicate does nothing).
    "certificates-sweep": {
        "task": "certificates.tasks.sweep_stuck_certificates",
        "schedule": SWEEP_SECONDS,
    },
    # The same for the reports' export jobs: pending ones never queued, and
    # builds claimed by a dead worker.
    "exports-sweep": {
        "task": "reports.sweep_stuck_exports",
        "schedule": SWEEP_SECONDS,
    },
    # The same for participant imports: import jobs never queued or claimed
    # by a dead worker, and welcome mails never queued or claimed by one.
    "imports-sweep": {
        "task": "enrolment.sweep_imports",
        "schedule": SWEEP_SECONDS,
    },
    # Uploaded import files are personal data: a dry run nobody confirmed is
    # deleted after a day (a finished job deletes its own file at once; this
    # also retries such a deletion that failed).
    "imports-clean-up": {
        "task": "enrolment.clean_up_imports",
        "schedule": 3600.0,
    },
}


@signals.task_postrun.connect
def close_old_connections(task=None, **kwargs) -> None:
    """After a task in a worker, close a database connection that is broken
    or older than CONN_MAX_AGE; keep a good one for the next task (see
    CELERY_DB_REUSE_MAX). Not for eager tasks: they run inside the caller's
    transaction."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections as close

    close()


@app.task(name="relais.ping")
def ping(value: str = "pong") -> str:
    """Round-trip check used by the health tests and operators."""
    return value
