"""What Relais does with nothing set (no DATABASE_URL, no REDIS_URL): SQLite
that never answers an editor "database is locked", and in-process tasks
without kombu's noise. Each runs `manage.py` in a subprocess on a fresh
RELAIS_VAR_DIR, whatever database the suite itself runs on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL"}
        and not name.startswith("CELERY_")
    }
    env.update(
        RELAIS_VAR_DIR=str(tmp_path),
        DJANGO_SETTINGS_MODULE="relais.settings.dev",
        PYTHONUNBUFFERED="1",
    )
    return env


def _manage(env, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


SQLITE_SETTINGS = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
    cursor.execute("PRAGMA busy_timeout")
    print("busy_timeout", cursor.fetchone()[0])
print("file", connection.settings_dict["NAME"])
"""


def test_embedded_sqlite_runs_in_wal_mode_with_a_busy_timeout(embedded_env, tmp_path):
    done = _manage(embedded_env, "shell", "-c", SQLITE_SETTINGS)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert lines["journal_mode"] == "wal"
    assert int(lines["busy_timeout"]) >= 5000
    assert lines["file"] == str(tmp_path / "relais.sqlite3")


# A preview that reads then writes while autosave writes the same file: the
# reader's transaction, begun before the writer's, must not fail to upgrade to
# a write ("database is locked"), and the writer must wait, not fail. Many
# rounds, two threads with their own connection, ordered by events only.
CONCURRENT_WRITES = """
import threading
from datetime import timedelta
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

call_command("migrate", "sessions", verbosity=0)
later = timezone.now() + timedelta(days=1)
errors = []

def preview(n, began):
    try:
        with transaction.atomic():
            Session.objects.count()
            began.set()
            Session.objects.create(session_key=f"preview-{n}", session_data="p", expire_date=later)
    except Exception as exc:
        errors.append(f"preview {n}: {exc}")
        began.set()
    finally:
        connection.close()

def autosave(n, began):
    began.wait()
    try:
        Session.objects.create(session_key=f"autosave-{n}", session_data="a", expire_date=later)
    except Exception as exc:
        errors.append(f"autosave {n}: {exc}")
    finally:
        connection.close()

ROUNDS = 30
for n in range(ROUNDS):
    began = threading.Event()
    threads = [threading.Thread(target=f, args=(n, began)) for f in (preview, autosave)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
print("errors", len(errors), errors[:3])
print("rows", Session.objects.count(), "of", 2 * ROUNDS)
"""


def test_embedded_sqlite_writers_wait_for_each_other(embedded_env):
    done = _manage(embedded_env, "shell", "-c", CONCURRENT_WRITES, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "errors 0 []" in done.stdout, done.stdout
    assert "rows 60 of 60" in done.stdout, done.stdout


def test_in_process_tasks_run_without_kombu_hostname_warning(embedded_env):
    done = _manage(
        embedded_env,
        "shell",
        "-c",
        "from relais.celery import ping; print('result', ping.delay('x').get())",
    )
    assert done.returncode == 0, done.stderr
    assert "result x" in done.stdout
    assert "No hostname was supplied" not in done.stdout + done.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_runserver_says_tasks_run_in_process_once(embedded_env, tmp_path):
    log = tmp_path / "runserver.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{_free_port()}"],
            cwd=ROOT,
            env=embedded_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        # Both the autoreloader's process and the serving one have started
        # their apps once the serving one says how to quit.
        deadline = time.monotonic() + 120
        while "Quit the server with" not in log.read_text():
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    output = log.read_text()
    assert output.count("Background tasks run in-process") == 1, output
    assert "No hostname was supplied" not in output


SERVE_MEDIA = """
from pathlib import Path
from django.conf import settings
from django.test import Client
folder = Path(settings.MEDIA_ROOT) / "images"
folder.mkdir(parents=True, exist_ok=True)
(folder / "map.width-360.format-webp.webp").write_bytes(b"RIFF-webp")
response = Client(HTTP_HOST="127.0.0.1").get("/media/images/map.width-360.format-webp.webp")
print("status", response.status_code)
print("body", response.getvalue().decode())
"""


def test_make_run_serves_public_media(embedded_env):
    """`make run` has no proxy in front: the images in lessons (and those a
    phone keeps for reading offline) come from Django itself."""
    done = _manage(embedded_env, "shell", "-c", SERVE_MEDIA)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    assert (lines["status"], lines["body"]) == ("200", "RIFF-webp")
