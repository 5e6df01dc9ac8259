from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from accounts import views as account_views
from cascades import checkin_views

from . import bench_views, pwa, views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("manifest.webmanifest", pwa.manifest, name="web_manifest"),
    # The Wagtail admin signs in through allauth, which rate-limits failures.
    path(
        "admin/login/",
        RedirectView.as_view(url="/accounts/login/?next=/admin/", query_string=False),
    ),
    # Programme reports: ahead of Wagtail's admin, so that their own access
    # check answers (403 to a signed-in participant; reports/access.py).
    path(
        "admin/programme-reports/",
        include("reports.admin_urls", namespace="relais_reports"),
    ),
    path("admin/", include(wagtailadmin_urls)),
    # Only paths ending in a slash: one without is first sent to its slashed
    # form by APPEND_SLASH, as for every admin URL.
    re_path(r"^admin/(?P<path>.*/)$", views.admin_not_found),
    path("documents/", include(wagtaildocs_urls)),
    # Open Badges credentials name these documents: no language prefix.
    path("credentials/", include("certificates.credentials.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    # The check-in QR code's address, language-neutral (a printed sheet is
    # read in any language): on to the visitor's language.
    path("checkin/", checkin_views.checkin_enter_start, name="checkin_enter_start"),
    path("checkin/<str:code>/", checkin_views.checkin_start, name="checkin_start"),
]

if settings.RELAIS_BENCH_VIEWS:
    # The pages `make bench` measures everything against (bench/README.md).
    urlpatterns += [
        path("bench/reference/", bench_views.reference, name="bench_reference"),
        path(
            "bench/reference/signed-in/",
            bench_views.reference_signed_in,
            name="bench_reference_signed_in",
        ),
    ]

urlpatterns += i18n_patterns(
    path("accounts/", include("allauth.urls")),
    path("offline/", pwa.offline, name="offline"),
    path("", include("accounts.urls")),
    path("", include("enrolment.urls")),
    path("", include("cascades.urls")),
    path("", include("certificates.urls")),
    path("", include("reports.urls")),
    path("", include("courses.urls")),
    path("", include("resources.urls")),
    # Last: every other path is a page, served by Wagtail.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

if settings.RELAIS_SERVE_MEDIA:
    # Public media (Wagtail images and their renditions) for `make run` and the
    # tests; in production the proxy serves /media/ (ops/nginx.conf). Private
    # files (certificate PDFs, exports) live in another root, never served here.
    urlpatterns.insert(
        0,
        re_path(
            r"^media/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        ),
    )
