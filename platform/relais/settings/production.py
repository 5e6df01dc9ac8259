"""Production: DEBUG off, secrets required, HTTPS assumed (behind a proxy
that sets X-Forwarded-Proto). Everything else comes from the environment."""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from relais.env import env_bool, env_int, env_required, env_str

from .base import *  # noqa: F403
from .storage import check_production_storage

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
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

# Public media come from the proxy (or object storage), never from Django.
RELAIS_SERVE_MEDIA = False

# --- Refuse to start wrong ------------------------------------------------
# RELAIS_LOCAL_HTTP=true is the one opt-out, for the benchmark and the
# several-hosts drill, which run these settings over plain HTTP on loopback:
# it allows an http:// SITE_URL on a loopback address, no EMAIL_HOST (mail
# then goes to the console) and staff without a second factor
# (RELAIS_STAFF_MFA_REQUIRED=false). Never set it on a server people reach.
RELAIS_LOCAL_HTTP = env_bool("RELAIS_LOCAL_HTTP", False)
_site_host = urlsplit(SITE_URL).hostname or ""  # noqa: F405
_loopback = _site_host in {"127.0.0.1", "localhost", "::1"}

if not env_str("ALLOWED_HOSTS") or "*" in ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured(
        "The environment variable ALLOWED_HOSTS must name the site's host names "
        "(e.g. ALLOWED_HOSTS=relais.example.org), not be empty or '*'."
    )
if not SITE_URL.startswith("https://") and not (  # noqa: F405
    RELAIS_LOCAL_HTTP and _loopback
):
    raise ImproperlyConfigured(
        f"The environment variable SITE_URL={SITE_URL!r} must be the site's "  # noqa: F405
        "public https:// address (links in emails and certificate QR codes use "
        "it). RELAIS_LOCAL_HTTP=true allows http:// on a loopback address only."
    )
if not EMAIL_HOST and not RELAIS_LOCAL_HTTP:  # noqa: F405
    raise ImproperlyConfigured(
        "The environment variable EMAIL_HOST is not set: Relais sends sign-up, "
        "password-reset and certificate emails through an SMTP server."
    )
check_production_storage()
if not RELAIS_STAFF_MFA_REQUIRED and not RELAIS_LOCAL_HTTP:
    raise ImproperlyConfigured(
        "The environment variable RELAIS_STAFF_MFA_REQUIRED=false switches off "
        "two factors for staff, who see every participant's data: production "
        "refuses it (RELAIS_LOCAL_HTTP=true allows it for a loopback benchmark)."
    )
