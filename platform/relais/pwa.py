"""The installable app: its web manifest, its service worker (served from the
site's root so that its scope is the whole site) and the offline page the
worker shows when a page cannot be fetched. docs/offline.md says how."""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache


def manifest(request):
    language = get_language() or "en"
    body = {
        "name": "Relais",
        "short_name": "Relais",
        "description": _("Relais: open-source learning for migration governance."),
        "lang": language,
        "start_url": reverse("dashboard"),  # under the active language's prefix
        "scope": "/",
        "display": "standalone",
        "theme_color": "#1d4e89",
        "background_color": "#ffffff",
        "icons": [
            {
                "src": static("img/favicon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
            }
        ],
    }
    response = JsonResponse(body, content_type="application/manifest+json")
    response["Cache-Control"] = "max-age=3600"
    return response


@never_cache
def service_worker(request):
    # Served from the root with no long cache: the browser checks it for an
    # update on each navigation, so a new version reaches phones at once.
    path = finders.find("js/sw.js")
    if not path:
        raise Http404
    response = HttpResponse(Path(path).read_bytes(), content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


def offline(request):
    return render(request, "offline/offline.html")
