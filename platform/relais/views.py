from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from .health import health_report


@never_cache
def healthz(request):
    ok, body = health_report()
    return JsonResponse(body, status=200 if ok else 503)


def admin_not_found(request, path: str = ""):
    """A path under /admin/ that the admin does not know: the admin's own
    not-found page, rather than a redirect to /en/admin/... (Django's
    LocaleMiddleware would find the page tree's catch-all there) and the
    public site's 404."""
    return render(request, "wagtailadmin/404.html", status=404)
