"""Signal receivers of accounts, connected in AccountsConfig.ready()."""

from .middleware import SESSION_KEY


def verify_address_on_password_reset(sender, request, user, **kwargs):
    """A password set from an emailed reset link proves the address: the
    link reached that inbox. An imported participant's welcome mail is such
    a link, so choosing a password is their one step (no second mail to
    confirm the address). allauth's `password_reset` signal."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user, email__iexact=user.email).update(
        verified=True
    )


def remember_language_on_login(sender, request, user, **kwargs):
    if request is not None and getattr(user, "preferred_language", ""):
        request.session[SESSION_KEY] = user.preferred_language
