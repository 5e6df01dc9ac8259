"""Django's LocaleMiddleware, with one exception: a 404 under /admin/ stays
a 404. The admin's URLs carry no language prefix; Django's middleware would
send an unknown /admin/x/ to /en/admin/x/, which the page tree's catch-all
accepts, and staff would land on the public site's bare 404."""

from __future__ import annotations

from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware


class LocaleMiddleware(DjangoLocaleMiddleware):
    def process_response(self, request, response):
        if response.status_code == 404 and request.path_info.startswith("/admin/"):
            return response
        return super().process_response(request, response)
