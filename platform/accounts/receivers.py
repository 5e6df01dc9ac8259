from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_KEY


@receiver(user_logged_in)
def remember_language_on_login(sender, request, user, **kwargs):
    if request is not None and getattr(user, "preferred_language", ""):
        request.session[SESSION_KEY] = user.preferred_language
