"""RFC 6238 time-based one-time codes, written out for the tests: what an
authenticator app shows for a base32 secret (SHA-1, 6 digits, 30 s steps,
the defaults allauth and the apps share)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

PERIOD = 30


def totp_code(secret: str, at: float | None = None) -> str:
    counter = int((time.time() if at is None else at) // PERIOD)
    key = base64.b32decode(secret.replace(" ", "").upper())
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**6:06d}"


def fresh_totp_code(secret: str, *, margin: float = 3.0) -> str:
    """A code with at least `margin` seconds left in its step, so that it is
    still the current one when the server checks it."""
    deadline = time.monotonic() + PERIOD
    while PERIOD - time.time() % PERIOD < margin:
        if time.monotonic() > deadline:
            raise AssertionError("the clock did not move on to the next step")
        time.sleep(0.1)
    return totp_code(secret)
