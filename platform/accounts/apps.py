from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from allauth.account.signals import password_reset
        from django.contrib.auth.signals import user_logged_in

        from . import receivers

        password_reset.connect(
            receivers.verify_address_on_password_reset,
            dispatch_uid="accounts_verify_address_on_password_reset",
        )
        user_logged_in.connect(
            receivers.remember_language_on_login,
            dispatch_uid="accounts_remember_language_on_login",
        )
