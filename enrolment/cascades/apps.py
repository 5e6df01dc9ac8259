from django.apps import AppConfig


class CascadesConfig(AppConfig):
    name = "enrolment.cascades"
    label = "cascades"
    default_auto_field = "django.db.models.BigAutoField"
