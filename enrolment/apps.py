from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete
        from wagtail.signals import page_published, page_unpublished, post_page_move

        from accounts import hooks as account_hooks
        from courses import access as course_access
        from courses.models import LessonPage

        from . import access, data_rights, receivers

        # What courses asks of enrolment: who reads lessons, their progress,
        # the course page's enrolment panel; and what a passed quiz does.
        course_access.lesson_access_policy.connect(access.enrolled_policy)
        course_access.lesson_progress_provider.connect(access.progress_provider)
        course_access.course_enrolment_panel.connect(access.enrolment_panel)
        course_access.quiz_passed.connect(access.quiz_passed)
        # A person's data: export and anonymisation.
        account_hooks.user_data_export.connect(data_rights.export_enrolment_data)
        account_hooks.user_anonymised.connect(data_rights.scrub_invitations)
        # Invitations opened before signing in; the furthest lesson when the
        # course's order changes.
        user_logged_in.connect(
            receivers.accept_invitation_on_login,
            dispatch_uid="enrolment_accept_invitation_on_login",
        )
        post_page_move.connect(
            receivers.refresh_furthest_lesson_on_move,
            dispatch_uid="enrolment_furthest_lesson_on_move",
        )
        post_delete.connect(
            receivers.refresh_furthest_lesson_on_delete,
            sender=LessonPage,
            dispatch_uid="enrolment_furthest_on_delete",
        )
        # Publishing or unpublishing course pages drops the progress figures.
        page_published.connect(
            receivers.progress_changed_on_publish,
            dispatch_uid="enrolment_progress_changed_on_publish",
        )
        page_unpublished.connect(
            receivers.progress_changed_on_publish,
            dispatch_uid="enrolment_progress_changed_on_unpublish",
        )
