"""Make a signed-in user's language choice stick across devices: the profile's
language is copied into the session at login, and from there into the
language cookie that Django's LocaleMiddleware reads."""

from django.conf import settings

SESSION_KEY = "relais_language"


class UserLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cookie_name = settings.LANGUAGE_COOKIE_NAME
        chosen = getattr(request, "session", {}).get(SESSION_KEY)
        set_cookie = False
        if chosen and request.COOKIES.get(cookie_name) != chosen:
            request.COOKIES[cookie_name] = chosen
            set_cookie = True
        response = self.get_response(request)
        if set_cookie:
            response.set_cookie(
                cookie_name,
                chosen,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=getattr(settings, "LANGUAGE_COOKIE_SECURE", False),
            )
        return response
