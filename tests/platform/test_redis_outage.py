"""Redis going away slows Relais down and never breaks a page (DESIGN.md).

Relais runs as a real server (gunicorn, the test settings, the test
database) on a private redis-server that this test stops (SIGTERM) and then
pauses (SIGSTOP, a hung Redis that accepts connections and never answers).
Through both, the catalogue, a lesson, signing in and completing a course
answer as usual and /healthz answers 503 naming the broker; under a paused
Redis no request hangs. When Redis is back, the periodic sweep queues the
certificates of the completions made meanwhile and a real worker issues
them. The figures it prints are in bench/README.md."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from certificates.models import Certificate
from certificates.tasks import sweep_stuck_certificates
from enrolment.models import Enrolment
from tests.certificates.test_workers import PrivateRedis, app_on_broker
from tests.conftest import PASSWORD, require_services
from tests.factories import course_lessons, make_course, make_enrolment
from tests.platform.test_behind_proxy import Browser, answers, free_port, wait_for
from tests.workers import ROOT, Worker, database_url

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# "Did not hang": a hung Redis costs a request one short socket timeout
# (0.25 s, settings/base.py) per cache and per publish; far below redis-py's
# and Celery's defaults, which hang a request for seconds.
HANG_DEADLINE = 2.0


class Person(Browser):
    def timed(self, method: str, path: str, body: dict | None = None):
        started = time.monotonic()
        response, content = self.request(method, path, body)
        return response, content, time.monotonic() - started

    def complete(self, lesson_path: str, lesson_id: int):
        _, page = self.request("GET", lesson_path)
        token = CSRF_INPUT.search(page)
        assert token, "the lesson page has its done button"
        return self.timed(
            "POST",
            f"/en/lessons/{lesson_id}/done/",
            {"csrfmiddlewaretoken": token.group(1)},
        )


@pytest.fixture
def private_redis():
    redis = PrivateRedis(free_port())
    redis.start()
    try:
        yield redis
    finally:
        if redis.process and redis.process.poll() is None:
            redis.process.send_signal(signal.SIGCONT)
        redis.stop()


@pytest.fixture
def server(site, private_redis, tmp_path, settings):
    """gunicorn with the test settings on the private Redis, publishing to
    its own queue."""
    require_services(postgres=True, redis=True)
    port = free_port()
    queue = f"relais-outage-{tmp_path.name}"
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(
        DJANGO_SETTINGS_MODULE="relais.settings.test",
        DATABASE_URL=database_url(),
        REDIS_URL=private_redis.url,
        CELERY_TASK_ALWAYS_EAGER="false",
        CELERY_QUEUE=queue,
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", "relais"),
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(tmp_path / "mail"),
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
    )
    log = tmp_path / "gunicorn.log"
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "relais.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115  (closed with the process)
    )
    try:
        wait_for(lambda: answers(port), timeout=120, what="gunicorn")
        yield {"port": port, "queue": queue, "log": log}
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        try:
            gunicorn.wait(timeout=20)
        except subprocess.TimeoutExpired:
            gunicorn.kill()


def healthz(person: Person):
    response, body, elapsed = person.timed("GET", "/healthz")
    return response.status, json.loads(body), elapsed


def test_a_redis_outage_slows_relais_down_and_breaks_no_page(
    server, private_redis, participant, other_participant, outsider, tmp_path
):
    course = make_course(title="Outage course", modules=1, lessons_per_module=1)
    lesson = course_lessons(course)[0]
    lesson_path = lesson.get_url()
    for person in (participant, other_participant):
        make_enrolment(user=person, course=course)
    port = server["port"]
    alice = Person(port, "127.0.0.1")
    response, _ = alice.sign_in(participant.email, PASSWORD)
    assert response.status == 302
    visitor = Person(port, "127.0.0.1")
    assert visitor.request("GET", "/en/courses/")[0].status == 200

    figures: dict[str, list[float]] = {"stopped": [], "paused": []}

    # --- Redis stopped: connections refused ------------------------------
    private_redis.stop()
    status, body, _ = healthz(visitor)
    assert status == 503
    assert body["broker"] == "down" and body["down"] == ["broker"]
    response, page, elapsed = visitor.timed("GET", "/en/courses/")
    assert response.status == 200 and "Outage course" in page
    figures["stopped"].append(elapsed)
    response, page, elapsed = alice.timed("GET", lesson_path)
    assert response.status == 200 and "Sign out" in page
    figures["stopped"].append(elapsed)
    bob = Person(port, "127.0.0.1")
    response, _ = bob.sign_in(other_participant.email, PASSWORD)
    assert response.status == 302
    response, _, elapsed = alice.complete(lesson_path, lesson.pk)
    assert response.status == 302
    figures["stopped"].append(elapsed)
    alices = Enrolment.objects.get(user=participant, course=course)
    assert alices.status == Enrolment.Status.COMPLETED
    assert Certificate.objects.get(enrolment=alices).status == "pending"

    # --- Redis paused: connections accepted, never answered --------------
    private_redis.start()
    os.kill(private_redis.process.pid, signal.SIGSTOP)
    status, body, elapsed = healthz(visitor)
    assert status == 503 and body["down"] == ["broker"]
    figures["paused"].append(elapsed)
    for person, path in ((visitor, "/en/courses/"), (bob, lesson_path)):
        response, _, elapsed = person.timed("GET", path)
        assert response.status == 200
        figures["paused"].append(elapsed)
    carol = Person(port, "127.0.0.1")
    started = time.monotonic()
    response, _ = carol.sign_in(outsider.email, PASSWORD)
    assert response.status == 302
    figures["paused"].append(time.monotonic() - started)
    response, _, elapsed = bob.complete(lesson_path, lesson.pk)
    assert response.status == 302
    figures["paused"].append(elapsed)
    bobs = Enrolment.objects.get(user=other_participant, course=course)
    assert bobs.status == Enrolment.Status.COMPLETED
    print(  # noqa: T201  (the figures for bench/README.md, with -s)
        "redis outage, seconds per request:",
        {k: [round(v, 3) for v in vs] for k, vs in figures.items()},
    )
    assert max(figures["paused"]) < HANG_DEADLINE, figures

    # --- Redis back: the sweep queues both certificates ------------------
    os.kill(private_redis.process.pid, signal.SIGCONT)
    wait_for(lambda: healthz(visitor)[0] == 200, timeout=30, what="/healthz 200")
    pending = Certificate.objects.filter(enrolment__in=[alices, bobs])
    assert {c.status for c in pending} == {Certificate.Status.PENDING}
    # Older than the sweep's stale_pending(), as they would be by its next run.
    pending.update(created_at=timezone.now() - timedelta(minutes=3))
    worker = Worker(
        workdir=tmp_path / "worker", queue=server["queue"], redis_url=private_redis.url
    )
    try:
        with app_on_broker(private_redis.url, server["queue"]):
            worker.start()
            sweep_stuck_certificates.delay()
            wait_for(
                lambda: set(pending.values_list("status", flat=True)) == {"issued"},
                timeout=90,
                what=f"the certificates after the outage\n{worker.log()}",
            )
    finally:
        worker.stop()
