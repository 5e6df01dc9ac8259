"""Report URLs, at /admin/programme-reports/ (mounted in relais/urls.py ahead
of Wagtail's admin, see reports/access.py)."""

from django.urls import path

from . import views

app_name = "relais_reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("enrolments/", views.enrolments, name="enrolments"),
    path("completion/", views.completion, name="completion"),
    path("certificates/", views.certificates, name="certificates"),
    path("cascades/", views.cascades, name="cascades"),
    path("export/<slug:kind>.<slug:fmt>", views.export, name="export"),
    path("exports/", views.export_jobs, name="export_jobs"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
