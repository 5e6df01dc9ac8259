from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from enrolment import hooks

        from . import receivers

        hooks.on_course_completed.connect(receivers.course_completed)
        hooks.dashboard_sections.connect(receivers.dashboard_section)
        export_hook = getattr(hooks, "user_data_export", None)
        if export_hook is not None:
            export_hook.connect(receivers.user_data_export)
