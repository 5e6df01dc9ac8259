from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .health import health_report


@never_cache
def healthz(request):
    ok, body = health_report()
    return JsonResponse(body, status=200 if ok else 503)
