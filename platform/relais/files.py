"""Private files (certificate PDFs, exports, cohort ZIPs) leave Relais only
through views that check who asks; this marks their responses so that no
shared cache (a proxy, a CDN) keeps a copy for the next person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponseBase


def private_download(view: Callable[..., HttpResponseBase]):
    """`Cache-Control: private, no-store` on the view's answer (the
    attachment and the `nosniff` header come from FileResponse and
    SecurityMiddleware)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapped
