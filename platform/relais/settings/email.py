"""Mail settings, read by base.py: the SMTP server (or the console when none
is set), the sender, and how long the certificate sweep waits before it
takes over a mail or queues waiting work again."""

from django.core.exceptions import ImproperlyConfigured

from relais.env import env_bool, env_int, env_str

__all__ = [
    "EMAIL_HOST",
    "EMAIL_PORT",
    "EMAIL_HOST_USER",
    "EMAIL_HOST_PASSWORD",
    "EMAIL_USE_TLS",
    "EMAIL_USE_SSL",
    "EMAIL_TIMEOUT",
    "RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS",
    "RELAIS_CERTIFICATE_PENDING_STALE_SECONDS",
    "EMAIL_BACKEND",
    "DEFAULT_FROM_EMAIL",
    "SERVER_EMAIL",
]

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
# The certificate sweep (certificates/services/sweep.py, docs/certificates.md
# "The sweep"): a certificate email claimed this long ago and still not sent
# is presumed lost with its worker and sent again. Longer than EMAIL_TIMEOUT,
# so that a send still in progress is never taken over. Work still waiting
# after the second value was probably never queued (a broker outage, a web
# host killed between its commit and the publish) and is queued again.
# `make drill` lowers both (and RELAIS_SWEEP_SECONDS, relais/celery.py) so
# that what a killed host left is swept within its run.
RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS = env_int(
    "RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS", 300
)
if RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS <= EMAIL_TIMEOUT:
    raise ImproperlyConfigured(
        "The environment variable RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS="
        f"{RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS} must be more than the SMTP "
        f"timeout ({EMAIL_TIMEOUT} s): a mail still being sent would go twice."
    )
RELAIS_CERTIFICATE_PENDING_STALE_SECONDS = env_int(
    "RELAIS_CERTIFICATE_PENDING_STALE_SECONDS", 120
)
if RELAIS_CERTIFICATE_PENDING_STALE_SECONDS < 1:
    raise ImproperlyConfigured(
        "The environment variable RELAIS_CERTIFICATE_PENDING_STALE_SECONDS="
        f"{RELAIS_CERTIFICATE_PENDING_STALE_SECONDS} must be a number of seconds "
        "(1 or more)."
    )
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Relais <no-reply@relais.local>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
