"""Page routing from the cache, for every visitor (signed in or not).

Wagtail finds the page behind a URL by walking the tree from the site's root,
one query for each level and one more for each page's specific type, and then
checks the view restrictions of the page and all its ancestors (two more
queries). For a lesson (/en/courses/<course>/<module>/<lesson>/) that is about
fourteen queries before the page does anything of its own, on every request.

This view (in place of `wagtail.views.serve`) remembers, per site, language
and path, which page the walk found and which view restrictions apply to it,
and on the next request loads only that page (one query). Everything else is
Wagtail's own `serve`: the `before_serve_page` and `on_serve_page` hooks (the
view-restriction check among them, fed from the cache), `page.serve`, preview
and password forms.

Cache keys carry the anonymous page cache's generation (relais.page_cache), so
publishing, unpublishing, moving, renaming or deleting any page, and any
change to a view restriction or a site, makes every remembered route stale at
once. Entries also expire after RELAIS_PAGE_CACHE_SECONDS (or five minutes when
the page cache is off). Routes that end in a 404 are not remembered.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import translation
from wagtail import views as wagtail_views
from wagtail.models import Page, Site
from wagtail.url_routing import RouteResult

from . import page_cache

DEFAULT_TIMEOUT = 300


def _timeout() -> int:
    return page_cache.timeout() or DEFAULT_TIMEOUT


def _key(request: HttpRequest, path: str) -> str:
    host = request.get_host().lower()
    raw = f"{host}|{translation.get_language()}|{path}"
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"relais:route:{page_cache.generation()}:{digest}"


def _load(entry: dict[str, Any]) -> tuple[Site, Page] | None:
    model = ContentType.objects.get_for_id(entry["content_type"]).model_class()
    if model is None:
        return None
    page = model._default_manager.filter(pk=entry["page"], live=True).first()
    if page is None:
        return None
    return entry["site"], page


def _remember(key: str, request: HttpRequest, result: RouteResult) -> None:
    page = result.page
    site = getattr(request, "_wagtail_site", None)
    if site is None or result.args or result.kwargs:
        return  # routable pages compute their own sub-routes: not remembered
    restrictions = list(page.get_view_restrictions())
    cache.set(
        key,
        {
            "site": site,
            "page": page.pk,
            "content_type": page.content_type_id,
            "restrictions": restrictions,
        },
        timeout=_timeout(),
    )
    _use_restrictions(page, restrictions)  # read once: Wagtail's check uses these


class _Restrictions(list):
    """The cached view restrictions, read like the queryset Wagtail returns
    (iterated by its hook, `.exists()` by relais.page_cache)."""

    def exists(self) -> bool:
        return bool(self)


def _use_restrictions(page: Page, restrictions: list) -> None:
    # Wagtail's view-restriction hook calls page.get_view_restrictions() (two
    # queries); this instance answers from the cache instead. The instance is
    # this request's own, so nothing else sees the shortcut.
    cached = _Restrictions(restrictions)
    page.get_view_restrictions = lambda: cached


def serve(request: HttpRequest, path: str):
    key = _key(request, path)
    entry = cache.get(key)
    loaded = _load(entry) if entry else None
    if loaded is not None:
        site, page = loaded
        request._wagtail_site = site  # type: ignore[attr-defined]
        request._wagtail_route_for_request = RouteResult(page)  # type: ignore[attr-defined]
        _use_restrictions(page, entry["restrictions"])
    else:
        result = Page.route_for_request(request, path)
        if result is not None:
            _remember(key, request, result)
    return wagtail_views.serve(request, path)


def connect_signals() -> None:
    """A change to a view restriction or a site makes every route stale
    (pages are covered by relais.page_cache's own signals)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import PageViewRestriction

    invalidate = page_cache.invalidate_all
    for model in (PageViewRestriction, Site):
        post_save.connect(
            invalidate,
            sender=model,
            weak=False,
            dispatch_uid=f"relais-route-save-{model.__name__}",
        )
        post_delete.connect(
            invalidate,
            sender=model,
            weak=False,
            dispatch_uid=f"relais-route-del-{model.__name__}",
        )
    m2m_changed.connect(
        invalidate,
        sender=PageViewRestriction.groups.through,
        weak=False,
        dispatch_uid="relais-route-groups",
    )
