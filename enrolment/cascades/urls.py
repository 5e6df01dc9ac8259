from django.urls import path

from . import views

urlpatterns = [
    path("trainer/", views.trainer_home, name="trainer_home"),
]
