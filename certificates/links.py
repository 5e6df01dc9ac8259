"""Who issues certificates and where each one is verified: named by the
PDF, the emails and the signed credentials alike."""

from django.conf import settings

ISSUER = "Relais"


def verify_url(*, code: str, language: str) -> str:
    return f"{settings.SITE_URL}/{language}/certificates/verify/{code}/"
