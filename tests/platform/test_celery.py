import pytest

from relais.celery import app, ping


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
