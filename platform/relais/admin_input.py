"""A NUL byte in an admin query string is refused with a 400.

Wagtail's admin views read some query parameters straight into a query (the
`locale` of every translatable listing: `get_object_or_404(Locale,
language_code=...)`), and PostgreSQL refuses a NUL byte in a query, which
Wagtail does not catch: a 500. No query parameter of the admin has a use for
one, so the request is refused before any view runs. Relais's own views
refuse it where they read the value (forms, the catalogue, invitations)."""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class AdminQueryNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/") and any(
            "\x00" in key or "\x00" in value
            for key, values in request.GET.lists()
            for value in values
        ):
            return HttpResponseBadRequest(
                _("The address contains a character that is not allowed (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
