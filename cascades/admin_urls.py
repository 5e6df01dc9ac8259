from django.urls import path

from . import admin_views

app_name = "cascades_admin"
urlpatterns = [path("", admin_views.cascades_report, name="report")]
