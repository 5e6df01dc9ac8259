"""The benchmark's yardstick (`make bench`, bench/README.md).

A bare Django view returning a constant page. It goes through the same
middleware stack as every other page, so its throughput is what this server
can do at best on this machine; every scenario is reported as a ratio to it.
Always on and harmless: constant text, no database, no session, no user data.
"""

from django.http import HttpResponse
from django.views.decorators.http import require_safe

REFERENCE_PAGE = (
    b"<!doctype html>\n"
    b'<html lang="en"><head><meta charset="utf-8">'
    b"<title>Relais benchmark reference</title></head>"
    b"<body><main><h1>Relais</h1><p>A constant page: the benchmark's yardstick."
    b"</p></main></body></html>\n"
)


@require_safe
def reference(request):
    return HttpResponse(REFERENCE_PAGE, content_type="text/html; charset=utf-8")
