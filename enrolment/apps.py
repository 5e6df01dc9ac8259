from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnrolmentConfig(AppConfig):
    name = "enrolment"
    verbose_name = _("Enrolment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            access,  # noqa: F401  (connects to courses' access hooks)
            data_rights,  # noqa: F401  (connects to accounts' data hooks)
            receivers,  # noqa: F401  (accepts invitations on login)
        )
