from django.urls import path

from . import admin_views as views

app_name = "certificates_admin"

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("<int:pk>/restore/", views.certificate_restore, name="restore"),
    path("<int:pk>/reissue/", views.certificate_reissue, name="reissue"),
    path("<int:pk>/download/", views.certificate_download, name="download"),
    path("regenerate/", views.regenerate, name="regenerate"),
    path("cohort-zip/", views.cohort_zip, name="cohort_zip"),
    path("jobs/<int:pk>/", views.job, name="job"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
