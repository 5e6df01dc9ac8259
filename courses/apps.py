from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.signals import page_published

        from . import receivers

        page_published.connect(
            receivers.repair_numchild_on_publish,
            dispatch_uid="courses_repair_numchild_on_publish",
        )
