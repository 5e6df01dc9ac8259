"""The credentials' public documents, at stable URLs outside the language
prefix (credentials name them)."""

from django.urls import path

from . import views

urlpatterns = [
    path("issuer.json", views.issuer, name="credential_issuer"),
    path("keys.json", views.keys, name="credential_keys"),
    path(
        "achievements/<str:key>/<str:kind>.json",
        views.achievement_document,
        name="credential_achievement",
    ),
    path("status/<int:number>.jwt", views.status_list, name="credential_status_list"),
]
