from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from accounts import hooks as account_hooks

        from . import data_rights

        # A deleted account's name leaves the stored enrolment lists.
        account_hooks.user_anonymised.connect(data_rights.exports_drop_personal)
