from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import hooks as account_hooks
        from cascades import hooks as cascade_hooks
        from enrolment import hooks

        from . import checks, receivers, services  # noqa: F401 (checks registers)

        hooks.on_course_completed.connect(receivers.course_completed)
        hooks.dashboard_sections.connect(receivers.dashboard_section)
        account_hooks.user_data_export.connect(receivers.user_data_export)
        account_hooks.user_anonymised.connect(receivers.user_anonymised)
        cascade_hooks.attendance_certificate_request.connect(
            services.certificate_request_for_attendee
        )
        cascade_hooks.participant_certificate_status.connect(
            receivers.participant_certificate_status
        )
        cascade_hooks.attendee_certificate_status.connect(
            receivers.attendee_certificate_status
        )
        cascade_hooks.attendees_anonymised.connect(receivers.attendees_anonymised)
        # The sign-in sheet's words, in the certificates' fonts (any script).
        cascade_hooks.pdf_text.connect(receivers.pdf_text)
