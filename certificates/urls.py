from django.urls import path

from . import views

urlpatterns = [
    path("certificates/verify/", views.verify_form, name="certificate_verify_form"),
    path("certificates/verify/<str:code>/", views.verify, name="certificate_verify"),
    path(
        "certificates/<str:code>/download/",
        views.download,
        name="certificate_download",
    ),
]
