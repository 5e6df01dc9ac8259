from django.apps import AppConfig


class CascadesConfig(AppConfig):
    name = "cascades"
    label = "cascades"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import hooks as account_hooks
        from enrolment import hooks as enrolment_hooks

        from . import data_rights, services

        # Completing a train-the-trainer course makes its graduate a trainer.
        enrolment_hooks.on_course_completed.connect(
            services.qualifications_from_completion
        )
        # A cohort saved in the Wagtail cohort form takes its place in the tree.
        enrolment_hooks.cohort_saved.connect(services.cohort_saved_in_admin)
        # A deleted account's address: its attendee rows lose the name.
        account_hooks.user_anonymised.connect(data_rights.attendees_anonymise)
