"""Start-up check: the credential keys can be read (manage.py check, and so
every runserver, migrate and gunicorn start under `check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def credential_keys_check(app_configs, **kwargs) -> list[Error]:
    if not settings.RELAIS_CREDENTIALS:
        return []
    from .credentials.keys import signing_keys

    try:
        signing_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="certificates.E001")]
    return []
