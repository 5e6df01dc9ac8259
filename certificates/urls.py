from django.urls import path

from . import views
from .credentials import views as credential_views

urlpatterns = [
    path(
        "certificates/verify/credential/",
        credential_views.verify_upload,
        name="credential_verify",
    ),
    path("certificates/verify/", views.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="certificate_verify"),
    path(
        "certificates/<str:code>/download/",
        views.download,
        name="certificate_download",
    ),
    path(
        "certificates/<str:code>/credential.json",
        credential_views.download_json,
        name="credential_download_json",
    ),
    path(
        "certificates/<str:code>/credential.jwt",
        credential_views.download_jwt,
        name="credential_download_jwt",
    ),
]
