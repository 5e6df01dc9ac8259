"""Production: DEBUG off, secrets required, HTTPS assumed (behind a proxy
that sets X-Forwarded-Proto). Everything else comes from the environment."""

from relais.env import env_bool, env_int, env_required

from .base import *  # noqa: F403

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "The environment variable SECRET_KEY is too short: use at least 50 random "
        "characters (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
# Staff set up a second factor before the admin opens (docs/security.md).
RELAIS_STAFF_MFA_REQUIRED = env_bool("RELAIS_STAFF_MFA_REQUIRED", True)
# Wagtail's live preview shows the page in a same-origin iframe, so frames
# stay allowed from our own origin (SAMEORIGIN), never from others.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
