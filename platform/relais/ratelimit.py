"""A small fixed-window rate limiter on the Django cache (Redis in
production), for actions allauth does not cover: enrolment keys,
certificate verification, exports."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def client_ip(request) -> str:
    # Behind a proxy, configure it to set REMOTE_ADDR (gunicorn --forwarded-allow-ips);
    # X-Forwarded-For is not trusted here because clients can forge it.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(scope: str, ident: str, window: int) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{int(time.time() // window)}"


def is_limited(*, scope: str, idents: list[str], limit: int, period: int) -> bool:
    """True if any of `idents` already used up `limit` hits in this window
    (without counting a new hit)."""
    for ident in idents:
        if (cache.get(_key(scope, ident, period)) or 0) >= limit:
            return True
    return False


def hit(*, scope: str, idents: list[str], limit: int, period: int) -> bool:
    """Count one hit for each ident; True if the call is over the limit."""
    limited = False
    for ident in idents:
        key = _key(scope, ident, period)
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=period)
            count = 1
        limited = limited or count > limit
    return limited


def request_idents(request) -> list[str]:
    idents = [f"ip:{client_ip(request)}"]
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        idents.append(f"user:{request.user.pk}")
    return idents
