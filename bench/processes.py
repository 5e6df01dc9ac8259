"""Processes and ports on this machine, for `make bench`, `make drill` and
the tests that start real servers: a free port, a server process in its own
process group with its output in a file, stopping that group, waiting for an
HTTP answer."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(
    args: list[str], log_path: Path, env: dict[str, str] | None = None
) -> subprocess.Popen:
    """`args` in a new process group (so that stop() reaches its children),
    from the project's root, stdout and stderr appended to `log_path`."""
    handle = open(log_path, "ab")  # noqa: SIM115  (lives as long as the process)
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen | None, timeout: float = 20) -> None:
    """SIGTERM to the process group, SIGKILL if it is still there after
    `timeout` seconds."""
    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def answers_200(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


def wait_http(
    url: str, timeout: float, process: subprocess.Popen | None = None
) -> bool:
    """True once `url` answers 200 within `timeout` seconds; False when the
    time is up or `process` (the server) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        if answers_200(url):
            return True
        time.sleep(0.3)
    return False


def celery_worker(
    queue: str, name: str, concurrency: int, *extra: str, loglevel: str = "WARNING"
) -> list[str]:
    """The command line of a Celery worker for `queue`, named `name`. Through
    this interpreter (`-m`), not the virtual environment's `celery` script:
    a copied environment's scripts name the interpreter it was copied from.
    The benchmarks, the drill and the tests' workers all start from it."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "relais",
        "worker",
        "-Q",
        queue,
        f"--concurrency={concurrency}",
        f"--loglevel={loglevel}",
        *extra,
        "-n",
        name,
    ]
