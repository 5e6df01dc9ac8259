"""The test suite (pytest). DATABASE_URL / REDIS_URL from the environment
switch it to PostgreSQL and Redis (CI sets both)."""

import os
from pathlib import Path

from relais.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR
from .storage import file_storages

# Playwright's event loop runs beside the ORM in the browser tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEBUG = False
# Demo content and scale data (`load_demo`, `generate_scale_data`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
# The benchmark's reference pages are tested too (tests/platform/test_bench_views.py).
RELAIS_BENCH_VIEWS = True
# The live server of the browser tests has no proxy in front to serve media.
RELAIS_SERVE_MEDIA = True
SECRET_KEY = env_str("SECRET_KEY") or "test-only-not-secret"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The suite reads mail from Django's locmem outbox; a Celery worker process
# started by the tests writes it to files instead (EMAIL_BACKEND from its env).
EMAIL_BACKEND = (
    env_str("EMAIL_BACKEND") or "django.core.mail.backends.locmem.EmailBackend"
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH") or str(VAR_DIR / "test" / "mail")
# Tasks run in-process unless a test starts a real worker (tests/workers.py),
# which switches the app to the broker for its duration.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
# Each test process has its own queue, so that workers of parallel runs (or a
# dev worker on the same Redis) never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE") or f"relais-test-{os.getpid()}"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SITE_URL = "http://testserver"
WAGTAILADMIN_BASE_URL = SITE_URL
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
_tmp = VAR_DIR / "test"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or _tmp / "media")
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or _tmp / "private")
STORAGES.update(file_storages(private_root=PRIVATE_MEDIA_ROOT))  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each test process keeps its own cache keys (see tests/conftest.py _clear_cache).
# A Celery worker started by the tests shares its parent's (CACHE_KEY_PREFIX).
CACHES["default"]["KEY_PREFIX"] = env_str("CACHE_KEY_PREFIX") or (  # noqa: F405
    f"relais-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
)
