"""Whole-page cache for anonymous visitors (catalogue, course pages, home).

Most visitors of the public pages are not signed in, and for them a page is
the same for everyone: the same HTML for the same path (which carries the
language, `/fr/courses/`) on the same host. So we keep that HTML in the cache
(Redis in production) and answer the next anonymous visitor from it, before
URL routing, without touching the database.

How it fits together:

- `cache_anonymous_page` (an `on_serve_page` hook in `relais.wagtail_hooks`)
  marks a request as cacheable when Wagtail serves a page of an opted-in type
  (`RELAIS_PAGE_CACHE_PAGE_TYPES`) with no view restriction. It runs inside
  Wagtail's own privacy check, so restricted pages never reach it.
- `AnonymousPageCacheMiddleware` (last in MIDDLEWARE) answers from the cache
  when the request is anonymous, and stores a marked response when it is safe
  to share: 200, HTML, no cookie set, no CSRF token rendered, no message shown,
  the session left untouched.
- The key is the host, the language, the path and the query parameters the
  cached pages read (`RELAIS_PAGE_CACHE_QUERY_PARAMS`), sorted. Any other
  parameter (`?utm_source=…`) or a non-empty search bypasses the cache, so
  random query strings cannot fill it.
- With Redis down the cache backend reads as empty (relais/cache_backends.py):
  every page is built and served as if it had never been cached.
- "Anonymous" is decided from the cookies alone (no session cookie, no
  messages cookie, no Authorization header), so a hit costs no query. A
  signed-in visitor always has a session cookie and is never served from here.
- Invalidation: every entry is stored with the *generation* it was built
  in, and read in the same round trip as the current generation. Publishing,
  unpublishing, saving, moving or deleting any page, and any change to a view
  restriction or a site, starts a new generation, so every cached page is
  dropped at once (pages list their children and siblings, so a narrower rule
  would miss some). An anonymous request reads the generation once, with the
  page; a request that carries a session cookie never reads it. Entries also
  expire after `RELAIS_PAGE_CACHE_SECONDS` (default 300; 0 turns the cache
  off), which bounds the staleness of anything that is not a page (images,
  snippets, counters).
"""

from __future__ import annotations

import hashlib
import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

DEFAULT_PAGE_TYPES = (
    "home.homepage",
    "courses.courseindexpage",
    "courses.coursepage",
    "resources.resourceindexpage",
    "resources.resourcepage",
)
DEFAULT_SECONDS = 300
GENERATION_KEY = "relais:pagecache:generation"
MARK = "_relais_page_cacheable"
HEADER = "X-Relais-Page-Cache"
MESSAGES_COOKIE = "messages"  # django.contrib.messages' CookieStorage
MAX_BYTES = 1024 * 1024
MAX_QUERY_STRING = 256
KEPT_HEADERS = ("Content-Type", "Content-Language")
# The query parameters the cached pages read (the catalogue's and the
# resources' filters, a page number); any other one bypasses the cache.
DEFAULT_QUERY_PARAMS = (
    "language",
    "kind",
    "topic",
    "region",
    "theme",
    "country",
    "page",
)


def timeout() -> int:
    return int(getattr(settings, "RELAIS_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def page_types() -> set[str]:
    types = getattr(settings, "RELAIS_PAGE_CACHE_PAGE_TYPES", DEFAULT_PAGE_TYPES)
    return {label.lower() for label in types}


def page_is_cacheable(page: Any) -> bool:
    """An opted-in page type without view restrictions (login, password, groups)."""
    if type(page)._meta.label_lower not in page_types():
        return False
    return not page.get_view_restrictions().exists()


def mark_cacheable(request: HttpRequest) -> None:
    setattr(request, MARK, True)


def request_is_anonymous(request: HttpRequest) -> bool:
    """True when the visitor carries nothing that could personalise the page."""
    if request.method != "GET" or timeout() <= 0:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if MESSAGES_COOKIE in request.COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # A Save-Data visitor gets pages without images (docs/low-data.md): never
    # served the shared copy, never stored into it.
    if "HTTP_SAVE_DATA" in request.META:
        return False
    if len(request.META.get("QUERY_STRING", "")) > MAX_QUERY_STRING:
        return False
    return _cached_query(request) is not None


def query_params() -> set[str]:
    names = getattr(settings, "RELAIS_PAGE_CACHE_QUERY_PARAMS", DEFAULT_QUERY_PARAMS)
    return set(names)


def _cached_query(request: HttpRequest) -> str | None:
    """The query string the cached page is kept under: the parameters the
    cached pages read, sorted. None (not from the cache, not stored) when
    another one is present, e.g. ?utm_source=…, or a search (`q`): each
    distinct value would be rendered and kept, so random values would fill
    the cache."""
    kept: list[tuple[str, str]] = []
    allowed = query_params()
    for name, values in sorted(request.GET.lists()):
        if name == "q" and not any(value.strip() for value in values):
            continue  # an empty search box is no search
        if name not in allowed:
            return None
        kept.extend((name, value) for value in values)
    return urlencode(kept)


def _start_generation() -> str:
    value = str(time.time_ns())
    # add(): two processes starting a generation at once agree on one.
    if not cache.add(GENERATION_KEY, value, timeout=None):
        value = cache.get(GENERATION_KEY) or value
    return str(value)


def invalidate_all(**kwargs: Any) -> None:
    """Start a new generation: every page cached so far is ignored from now on."""
    cache.set(GENERATION_KEY, str(time.time_ns()), timeout=None)


def get_current(keys: list[str]) -> tuple[str, dict[str, Any]]:
    """The current generation, and the values of `keys` stored under it by
    `set_current` (the others are left out): one round trip to the cache.
    Course outlines are kept the same way (courses.selectors)."""
    found = cache.get_many([GENERATION_KEY, *keys])
    current = found.pop(GENERATION_KEY, None)
    current = str(current) if current is not None else _start_generation()
    values = {
        key: entry[1]
        for key, entry in found.items()
        if isinstance(entry, tuple) and entry[0] == current
    }
    return current, values


def set_current(values: dict[str, Any], *, generation: str, timeout: int) -> None:
    """Store `values` as belonging to `generation` (read by `get_current`)."""
    cache.set_many(
        {key: (generation, value) for key, value in values.items()}, timeout=timeout
    )


def key_for(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", "") or ""
    query = _cached_query(request) or ""
    raw = "|".join([request.get_host(), language, request.path, query])
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return f"relais:pagecache:{digest}"


def response_is_cacheable(request: HttpRequest, response: HttpResponse) -> bool:
    if not getattr(request, MARK, False):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    cache_control = response.get("Cache-Control", "")
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    # A rendered {% csrf_token %} belongs to one visitor's cookie.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    messages = getattr(request, "_messages", None)
    if messages is not None and len(messages):
        return False
    return len(response.content) <= MAX_BYTES


def fetch(key: str) -> tuple[str, HttpResponse | None]:
    """The current generation, and the page cached under it (or None)."""
    generation, found = get_current([key])
    entry = found.get(key)
    if entry is None:
        return generation, None
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"].items():
        response[name] = value
    response[HEADER] = "hit"
    return generation, response


def store(key: str, response: HttpResponse, *, generation: str) -> None:
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    entry = {"status": response.status_code, "content": response.content}
    entry["headers"] = headers
    set_current({key: entry}, generation=generation, timeout=timeout())
    response[HEADER] = "miss"


class AnonymousPageCacheMiddleware:
    """Serve and fill the anonymous page cache. Keep it last in MIDDLEWARE, so
    the middleware above it (security headers, language, CSRF) still runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_anonymous(request):
            return self.get_response(request)
        key = key_for(request)
        generation, cached = fetch(key)
        if cached is not None:
            return cached
        response = self.get_response(request)
        if response_is_cacheable(request, response):
            # The generation read before the page was built: a page published
            # meanwhile has started a newer one, and this entry is ignored.
            store(key, response, generation=generation)
        return response


def connect_signals() -> None:
    """Drop every cached page when any page, view restriction or site changes
    (called from AppConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import Page, PageViewRestriction, Site
    from wagtail.signals import (
        page_published,
        page_slug_changed,
        page_unpublished,
        post_page_move,
    )

    def on_page_change(sender, instance=None, **kwargs):
        if isinstance(instance, Page):
            invalidate_all()

    page_published.connect(invalidate_all, dispatch_uid="relais-pagecache-publish")
    page_unpublished.connect(invalidate_all, dispatch_uid="relais-pagecache-unpub")
    page_slug_changed.connect(invalidate_all, dispatch_uid="relais-pagecache-slug")
    post_page_move.connect(invalidate_all, dispatch_uid="relais-pagecache-move")
    post_save.connect(on_page_change, dispatch_uid="relais-pagecache-save", weak=False)
    post_delete.connect(
        on_page_change, dispatch_uid="relais-pagecache-delete", weak=False
    )
    for model in (PageViewRestriction, Site):
        name = model.__name__
        post_save.connect(
            invalidate_all, sender=model, dispatch_uid=f"relais-pagecache-{name}"
        )
        post_delete.connect(
            invalidate_all, sender=model, dispatch_uid=f"relais-pagecache-del-{name}"
        )
    m2m_changed.connect(
        invalidate_all,
        sender=PageViewRestriction.groups.through,
        dispatch_uid="relais-pagecache-restriction-groups",
    )
