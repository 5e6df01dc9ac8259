"""Demo accounts. The admin's credentials are printed on dev machines only."""

from django.db import transaction

from accounts.models import User

ADMIN_EMAIL = "admin@relais.local"
ADMIN_PASSWORD = "relais-admin"  # dev only: load_demo refuses outside DEBUG


@transaction.atomic
def ensure_verified_user(*, email: str, password: str | None = None, **fields) -> User:
    """A user whose email address allauth considers verified (idempotent)."""
    from allauth.account.models import EmailAddress

    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load(*, stdout, debug: bool) -> None:
    if not debug:
        stdout.write("Demo admin not created: DEBUG is off (production).")
        return
    ensure_verified_user(
        email=ADMIN_EMAIL,
        password=ADMIN_PASSWORD,
        first_name="Relais",
        last_name="Admin",
        is_staff=True,
        is_superuser=True,
    )
    stdout.write(f"Dev admin (dev only): {ADMIN_EMAIL} / {ADMIN_PASSWORD}  -> /admin/")
