"""Renderers for the worker tests, chosen in a worker's environment with
RELAIS_CERTIFICATE_RENDERER (the setting that names the renderer)."""

from __future__ import annotations

import os
import time

from certificates.rendering import render_pdf

# Named in the worker's environment by the test that holds its renders.
HOLD_FILE_VARIABLE = "RELAIS_TEST_RENDER_HOLD"
# Optional: a held render writes the pid of its process (the pool child)
# here first, so that a test can kill that very process mid-render.
PID_FILE_VARIABLE = "RELAIS_TEST_RENDER_PID"
HOLD_AT_MOST = 60.0


def held_render_pdf(**kwargs) -> bytes:
    """render_pdf, after waiting while the file named by RELAIS_TEST_RENDER_HOLD
    exists (a minute at most): a test kills the worker in the middle of a
    render, and lets the next render through by deleting the file. With
    RELAIS_TEST_RENDER_PID set, it first writes its pid to that file (whole,
    by a rename), so that the test can kill this very process."""
    pid_file = os.environ.get(PID_FILE_VARIABLE, "")
    if pid_file:
        partial = f"{pid_file}.{os.getpid()}"
        with open(partial, "w") as handle:
            handle.write(str(os.getpid()))
        os.replace(partial, pid_file)
    hold = os.environ.get(HOLD_FILE_VARIABLE, "")
    deadline = time.monotonic() + HOLD_AT_MOST
    while hold and os.path.exists(hold) and time.monotonic() < deadline:
        time.sleep(0.05)
    return render_pdf(**kwargs)
