from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from .models import User


def user_set_language(*, user: User, language: str) -> User:
    if language in dict(settings.LANGUAGES) and user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


def translated_url(*, path: str, language: str, page_id: str | None) -> str | None:
    """The URL of a Wagtail page's translation in `language`, if it exists."""
    if not page_id or not str(page_id).isdigit():
        return None
    from wagtail.models import Locale, Page

    try:
        page = Page.objects.get(pk=int(page_id))
        locale = Locale.objects.get(language_code=language)
    except (Page.DoesNotExist, Locale.DoesNotExist):
        return None
    translation = page.get_translation_or_none(locale)
    if translation is None or not translation.live:
        return None
    return translation.get_url()


def user_data_export(*, user: User) -> dict:
    """Everything Relais holds about `user`, as JSON-ready data: the profile,
    and what each app adds through accounts.hooks.user_data_export."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from .hooks import user_data_export as export_hook

    data = {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "country": str(user.country),
            "institution": user.institution,
            "organisation_type": user.organisation_type,
            "preferred_language": user.preferred_language,
            "gender": user.gender,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": a.email, "verified": a.verified, "primary": a.primary}
                for a in EmailAddress.objects.filter(user=user)
            ],
            # Which second factors are set up, never their secrets.
            "second_factors": [
                {
                    "type": a.type,
                    "created_at": a.created_at.isoformat(),
                    "last_used_at": a.last_used_at.isoformat()
                    if a.last_used_at
                    else None,
                }
                for a in Authenticator.objects.filter(user=user).order_by("pk")
            ],
        }
    }
    for part in export_hook.send(user=user):
        data.update(part or {})
    return data


def user_anonymise(*, user: User) -> User:
    """Delete an account the way statistics survive: the row stays (so its
    enrolments still count, by country and organisation type) but nothing
    left in it names the person, and nobody can sign in with it."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from django.db import transaction
    from django.utils import timezone

    from .hooks import user_anonymised

    with transaction.atomic():
        old_email = user.email
        user.email = f"deleted-{user.pk}@invalid"
        user.first_name = ""
        user.last_name = ""
        user.set_unusable_password()
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.anonymised_at = timezone.now()
        user.save()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user_anonymised.send(user=user, old_email=old_email)
    return user


def address_vouched(*, user: User) -> None:
    """Staff typed this address into the user form: it counts as confirmed,
    so the person signs in without a confirmation mail. It becomes the
    primary address; others the account had stay, no longer primary."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).update(
        primary=False
    )
    address = EmailAddress.objects.filter(user=user, email__iexact=user.email).first()
    if address is None:
        EmailAddress.objects.create(
            user=user, email=user.email, verified=True, primary=True
        )
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


def staff_account_created(*, user: User, password_given: bool) -> None:
    """After staff create an account in the admin: the address is confirmed;
    without a password from staff, the person gets one mail with a link to
    choose theirs (sent once the account is committed)."""
    address_vouched(user=user)
    if password_given:
        return
    user.set_unusable_password()
    user.save(update_fields=["password"])
    transaction.on_commit(lambda: account_created_mail(user_id=user.pk))


def account_created_mail(*, user_id: int) -> None:
    from relais.mail import recipient_language, send_templated, set_password_url

    user = User.objects.get(pk=user_id)
    language = recipient_language(user=user)
    with translation.override(language):
        login_url = settings.SITE_URL + reverse("account_login")
    send_templated(
        to=user.email,
        template="accounts/emails/account_created",
        language=language,
        user=user,
        context={
            "set_password_url": set_password_url(user, language),
            "login_url": login_url,
            "email": user.email,
        },
    )
