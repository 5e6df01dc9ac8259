"""A small fixed-window rate limiter on the Django cache (Redis in
production), for actions allauth does not cover: enrolment keys,
certificate verification, exports."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import time

from django.conf import settings
from django.core.cache import cache


def _address(value: str) -> str | None:
    """A normalised IP address from one X-Forwarded-For entry or REMOTE_ADDR
    ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443", "2001:db8::1"); None if
    it is not one."""
    value = value.strip()
    if value.startswith("["):  # [IPv6] with or without a port
        value = value[1 : value.find("]")] if "]" in value else ""
    elif value.count(":") == 1:  # IPv4 with a port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The address of the person behind the request: the one address used
    by every rate limit, Relais's own and allauth's (accounts.adapters).

    With TRUSTED_PROXY_COUNT = 0 (no proxy) it is REMOTE_ADDR and any
    X-Forwarded-For header is ignored, since a client can write anything
    there. Behind N proxies that each append the address they were reached
    from, the client's address is the N-th entry from the right: what lies
    further left was written by the client and never changes who is
    limited. A request with fewer entries did not come through all the
    proxies; it is limited by REMOTE_ADDR."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or "unknown"
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    forwarded = [
        entry
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < count:
        return remote
    return _address(forwarded[-count]) or remote


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
    """Count one hit for each ident; True if the call is over the limit.
    Count first, then decide on the count the increment returned: a check
    made before counting lets a burst of simultaneous calls all through.
    With the cache down every call is a window's first hit (fail open,
    relais/cache_backends.py logs it)."""
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


def forgive(*, scope: str, idents: list[str], period: int) -> None:
    """Give back one hit for each ident (an attempt that turned out right)."""
    for ident in idents:
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(_key(scope, ident, period))
