"""Demo accounts. The admin's credentials are printed on dev machines only."""

from django.db import transaction

from accounts.models import User

ADMIN_EMAIL = "admin@relais.local"
ADMIN_PASSWORD = "relais-admin"  # dev only: load_demo refuses outside DEBUG
EDITOR_EMAIL = "editor@relais.local"
EDITOR_PASSWORD = "relais-editor"  # dev only, like the admin's


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


def load_editor(*, stdout, debug: bool) -> None:
    """The "Course editors" role (on the catalogues the demo made) and, on
    dev machines, a course editor to try it with."""
    from courses.roles import course_editors_ensure

    group = course_editors_ensure()
    if not debug:
        return
    editor = ensure_verified_user(
        email=EDITOR_EMAIL,
        password=EDITOR_PASSWORD,
        first_name="Camille",
        last_name="Editor",
    )
    editor.groups.add(group)
    stdout.write(f"Course editor (dev only): {EDITOR_EMAIL} / {EDITOR_PASSWORD}")
