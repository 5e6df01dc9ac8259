"""Renderers for the worker tests, chosen in a worker's environment with
RELAIS_CERTIFICATE_RENDERER (the setting that names the renderer)."""

from __future__ import annotations

import os
import time

from certificates.rendering import render_pdf

# Named in the worker's environment by the test that holds its renders.
HOLD_FILE_VARIABLE = "RELAIS_TEST_RENDER_HOLD"
HOLD_AT_MOST = 60.0


def held_render_pdf(**kwargs) -> bytes:
    """render_pdf, after waiting while the file named by RELAIS_TEST_RENDER_HOLD
    exists (a minute at most): a test kills the worker in the middle of a
    render, and lets the next render through by deleting the file."""
    hold = os.environ.get(HOLD_FILE_VARIABLE, "")
    deadline = time.monotonic() + HOLD_AT_MOST
    while hold and os.path.exists(hold) and time.monotonic() < deadline:
        time.sleep(0.05)
    return render_pdf(**kwargs)
