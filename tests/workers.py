"""A real `celery worker` process for integration tests, against Redis and
the test database (which must be PostgreSQL so both processes share it)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import connection

from bench.processes import celery_worker
from certificates.credentials.keys import kid, signing_keys

ROOT = Path(__file__).resolve().parents[1]


def database_url() -> str:
    s = connection.settings_dict
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{auth}{s.get('HOST') or '127.0.0.1'}{port}/{s['NAME']}"


@dataclass
class Worker:
    workdir: Path
    queue: str
    redis_url: str
    concurrency: int = 2
    # Added to the worker's environment, e.g. to slow a task down for a kill test.
    extra_env: dict[str, str] = field(default_factory=dict)
    # Added to the `celery worker` command line, e.g. a prefetch multiplier.
    extra_args: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)
    name: str = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.workdir / "worker.log"
        self.name = f"{self.queue}-{time.monotonic_ns()}@{socket.gethostname()}"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.private_root.mkdir(parents=True, exist_ok=True)

    @property
    def mail_dir(self) -> Path:
        return self.workdir / "mail"

    @property
    def private_root(self) -> Path:
        return self.workdir / "private"

    @property
    def media_root(self) -> Path:
        return self.workdir / "media"

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="relais.settings.test",
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis_url,
            CELERY_QUEUE=self.queue,
            CACHE_KEY_PREFIX=str(settings.CACHES["default"].get("KEY_PREFIX", "")),
            CELERY_TASK_ALWAYS_EAGER="false",
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(self.mail_dir),
            PRIVATE_MEDIA_ROOT=str(self.private_root),
            MEDIA_ROOT=str(self.media_root),
            PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
            # The same signing keys as this process, as every host has them.
            RELAIS_CREDENTIAL_KEYS=json.dumps(
                {
                    "keys": [
                        {**key.as_dict(private=True), "kid": kid(key)}
                        for key in signing_keys()
                    ]
                }
            ),
        )
        env.update(self.extra_env)
        return env

    # Generous: on a loaded machine, importing Django alone can take 30 s.
    def start(self, timeout: float = 120.0) -> Worker:
        log = open(self.log_path, "ab")  # noqa: SIM115  (closed with the process)
        self.process = subprocess.Popen(
            celery_worker(
                self.queue,
                self.name,
                self.concurrency,
                "--pool=prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                *self.extra_args,
                loglevel="INFO",
            ),
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_ready(timeout)
        return self

    def wait_ready(self, timeout: float) -> None:
        from relais.celery import ping

        assert self.process is not None, "start() the worker first"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"celery worker exited:\n{self.log()}")
            result = None
            try:
                result = ping.apply_async(args=["ready"], queue=self.queue)
                if result.get(timeout=2) == "ready":
                    return
            except Exception:  # noqa: S110  (not up yet)
                if result is None:
                    continue
                # Unsubscribe now, while the broker answers. Left to the
                # garbage collector, AsyncResult.__del__ would do it later,
                # in whatever test runs then, perhaps after this broker is
                # stopped: 20 reconnect attempts, and on Python 3.11.7 a
                # SystemError in the compile() that the collection
                # interrupted.
                result.backend.remove_pending_result(result)
        raise RuntimeError(f"celery worker not ready in {timeout}s:\n{self.log()}")

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until nothing is left for the worker to do: its queue is empty and
        it runs, holds and schedules no task, at two polls in a row (a task
        that a finishing task queued shows in between)."""
        quiet = 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            quiet = quiet + 1 if self._idle() else 0
            if quiet == 2:
                return
            time.sleep(0.2)
        raise AssertionError(f"celery worker still busy after {timeout}s")

    def _idle(self) -> bool:
        from kombu.exceptions import ChannelError

        from relais.celery import app

        with app.connection_for_write() as conn:
            try:
                _queue, waiting, _consumers = conn.default_channel.queue_declare(
                    queue=self.queue, passive=True
                )
            except ChannelError:  # on Redis an emptied queue is no key at all
                waiting = 0
        if waiting:
            return False
        inspect = app.control.inspect(destination=[self.name], timeout=2)
        for replies in (inspect.active(), inspect.reserved(), inspect.scheduled()):
            if not replies or any(replies.values()):
                return False
        return True

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Kill the whole worker (main process and its pool children)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()

    def sent_mail(self) -> list[str]:
        return [
            p.read_text(errors="replace") for p in sorted(self.mail_dir.glob("*.log"))
        ]


@contextmanager
def on_broker(queue: str):
    """The in-process Celery app publishes to `queue` on the real broker
    inside the block, and is eager again after it."""
    from relais.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous


@contextmanager
def running(worker: Worker):
    """The worker process runs, and the in-process app sends it its tasks,
    inside the block; the worker is stopped after it."""
    with on_broker(worker.queue):
        try:
            worker.start()
            yield worker
        finally:
            worker.stop()


def private_storage_at(root) -> dict:
    """The STORAGES entry for private files in the folder `root`."""
    return {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(root), "base_url": None},
    }
