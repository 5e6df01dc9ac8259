import os
import subprocess
import sys
from pathlib import Path

import pytest

from relais.celery import app, ping

ROOT = Path(__file__).resolve().parents[2]


def test_celery_settings_guard_against_lost_tasks():
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit and app.conf.task_soft_time_limit
    assert (
        app.conf.broker_transport_options["visibility_timeout"]
        > app.conf.task_time_limit
    )


@pytest.mark.services
def test_a_real_worker_process_runs_a_task_and_returns_its_result(celery_worker):
    result = ping.apply_async(args=["relais"], queue=celery_worker.queue)
    assert result.get(timeout=20) == "relais"
    assert celery_worker.process.poll() is None


@pytest.mark.parametrize(("value", "expected"), [(None, "[120.0]"), ("7", "[7.0]")])
def test_the_sweeps_run_every_relais_sweep_seconds(value, expected):
    """Beat's three sweeps follow RELAIS_SWEEP_SECONDS (two minutes unless
    set; `make drill` sets a few seconds); read when relais.celery loads."""
    env = {k: v for k, v in os.environ.items() if k != "RELAIS_SWEEP_SECONDS"}
    if value is not None:
        env["RELAIS_SWEEP_SECONDS"] = value
    code = (
        "from relais.celery import app; print(sorted({e['schedule'] for n, e in "
        "app.conf.beat_schedule.items() if n.endswith('-sweep')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "platform",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_sweep_interval_below_a_second_stops_start_up():
    env = {**os.environ, "RELAIS_SWEEP_SECONDS": "0"}
    result = subprocess.run(
        [sys.executable, "-c", "import relais.celery"],
        cwd=ROOT / "platform",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "RELAIS_SWEEP_SECONDS=0 must be" in result.stderr
