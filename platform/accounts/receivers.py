"""Signal receivers of accounts, connected in AccountsConfig.ready()."""

from .middleware import SESSION_KEY


def remember_language_on_login(sender, request, user, **kwargs):
    if request is not None and getattr(user, "preferred_language", ""):
        request.session[SESSION_KEY] = user.preferred_language
