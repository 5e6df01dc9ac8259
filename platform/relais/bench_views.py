"""The benchmark's yardsticks (`make bench`, bench/README.md).

Two bare views through the same middleware stack as every other page: a
constant page, and the same page for a signed-in visitor (the session read
and the user loaded, as every signed-in page does). Their throughput is what
this server can do at best on this machine; every scenario is reported as a
ratio to them. Mounted only when `RELAIS_BENCH_VIEWS` is on (the bench turns
it on; a deployment leaves it off).
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_safe

REFERENCE_PAGE = (
    "<!doctype html>\n"
    '<html lang="en"><head><meta charset="utf-8">'
    "<title>Relais benchmark reference</title></head>"
    "<body><main><h1>Relais</h1><p>{}</p></main></body></html>\n"
)


@require_safe
def reference(request):
    return HttpResponse(
        REFERENCE_PAGE.format("A constant page: the benchmark's yardstick."),
        content_type="text/html; charset=utf-8",
    )


@require_safe
@login_required
def reference_signed_in(request):
    return HttpResponse(
        REFERENCE_PAGE.format(f"Signed in as {escape(request.user.email)}."),
        content_type="text/html; charset=utf-8",
    )
