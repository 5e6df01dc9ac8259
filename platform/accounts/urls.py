from django.urls import path

from . import views

urlpatterns = [
    path("profile/", views.profile_edit, name="profile"),
    path("profile/data/", views.data_export, name="profile_data_export"),
    path("profile/delete/", views.account_delete, name="account_delete"),
]
