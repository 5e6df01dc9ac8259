"""Settings shared by every mode. dev, test and production only override.

Production differs from dev by environment variables alone (see README)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from relais.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_redis_url,
    env_str,
    redis_url_next_db,
)

from .storage import file_storages, public_media_origins

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("RELAIS_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY")  # dev/test set a default; production requires it
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = (env_str("SITE_URL") or "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Relais, in dependency order: reports -> certificates -> enrolment -> courses
    "relais",
    "accounts",
    "home",
    "courses",
    "resources",
    "enrolment",
    "cascades",
    "certificates",
    "reports",
    # Wagtail
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "accounts.roles.apps.UsersAdminConfig",  # wagtail.users (accounts/roles/)
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Accounts
    "allauth",
    "allauth.account",
    "allauth.mfa",
    # Utilities
    "csp",
    "django_countries",
    "django_filters",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response, those
    # served from the page cache below included (docs/security.md).
    "relais.csp.RelaisCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "relais.locale.LocaleMiddleware",
    # After the language is known: its refusal is in the user's language.
    "relais.admin_input.AdminQueryNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffSecondFactorMiddleware",
    # A page type added where it cannot go, said in words (before the view).
    "relais.admin_page_types.AdminPageTypeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: anonymous pages from the cache (relais/page_cache.py).
    "relais.page_cache.AnonymousPageCacheMiddleware",
]

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relais.context_processors.site",
                "relais.context_processors.save_data",
                "cascades.context_processors.trainer",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": env_database(
        "DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'relais.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite, the embedded default: never "database is locked" for an editor
    # (a preview while autosave writes). WAL lets readers and the writer run
    # together; a transaction takes the write lock when it begins (IMMEDIATE),
    # so one that read first cannot fail on upgrading to a write; and a writer
    # waits up to `timeout` seconds for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and broker -----------------------------------------------------
# Three roles, three Redis databases (or servers), so that flushing or
# evicting the cache never touches a queued task: CACHE_URL (default
# REDIS_URL), CELERY_BROKER_URL (REDIS_URL's database + 1) and
# CELERY_RESULT_BACKEND (+ 2).
REDIS_URL = env_redis_url("REDIS_URL")
CACHE_URL = env_redis_url("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's RedisCache, failing open: Redis down or hung reads as
            # an empty cache (relais/cache_backends.py, docs/architecture.md).
            "BACKEND": "relais.cache_backends.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX") or "relais",
            # A cache call takes well under a millisecond; a hung Redis costs
            # one request this long, then is left alone for RETRY_AFTER s.
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
            "RETRY_AFTER": 5,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "relais",
        }
    }

# --- Celery (the app is relais.celery) ------------------------------------
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or (
    redis_url_next_db(REDIS_URL, 1, role="Celery broker", variable="CELERY_BROKER_URL")
    if REDIS_URL
    # With a host: kombu warns "No hostname was supplied" for a bare memory://.
    else "memory://localhost/"
)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or (
    redis_url_next_db(
        REDIS_URL, 2, role="Celery results", variable="CELERY_RESULT_BACKEND"
    )
    if REDIS_URL
    else "cache+memory://"
)
# Without a broker server, tasks run in-process right after the commit that
# queued them (see README "Background work").
CELERY_TASK_ALWAYS_EAGER = env_bool(
    "CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL.startswith("memory://")
)
# How tasks are delivered, retried and timed out: settings/tasks.py.

# Sessions are read from the cache (Redis when set) and written through to the
# database: one query less on every signed-in page (bench/README.md).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# The function that draws a certificate's PDF, as a dotted path (the worker
# kill tests point a worker at a renderer that holds, tests/certificates/).
RELAIS_CERTIFICATE_RENDERER = (
    env_str("RELAIS_CERTIFICATE_RENDERER") or "certificates.rendering.render_pdf"
)
# Signed Open Badges 3.0 credentials beside certificates (docs/credentials.md).
# The signing keys: a JWK set with private keys, in RELAIS_CREDENTIAL_KEYS or
# in the file RELAIS_CREDENTIAL_KEYS_FILE; the last key signs, all verify.
# Outside production a missing file is generated on first use.
RELAIS_CREDENTIALS = env_bool("RELAIS_CREDENTIALS", True)
RELAIS_CREDENTIAL_KEYS = env_str("RELAIS_CREDENTIAL_KEYS") or ""
RELAIS_CREDENTIAL_KEYS_FILE = env_str("RELAIS_CREDENTIAL_KEYS_FILE") or str(
    VAR_DIR / "credential-keys.json"
)
RELAIS_CREDENTIAL_KEYS_GENERATE = True
# Anonymous pages, page routes and course outlines: seconds in the cache
# (relais/page_cache.py; 0 turns the anonymous page cache off).
# The benchmark's reference pages (/bench/reference/…): `make bench` only.
RELAIS_BENCH_VIEWS = env_bool("RELAIS_BENCH_VIEWS", False)
RELAIS_PAGE_CACHE_SECONDS = env_int("RELAIS_PAGE_CACHE_SECONDS", 300)
if RELAIS_PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured(
        f"The environment variable RELAIS_PAGE_CACHE_SECONDS="
        f"{RELAIS_PAGE_CACHE_SECONDS} must be 0 (off) or a number of seconds."
    )
# Trainer rules (docs/cascades.md): invitations a trainer may send in any 24
# hours (counted from the database), and the attempts a train-the-trainer
# course's quizzes allow when the quiz sets no limit of its own.
RELAIS_TRAINER_INVITATIONS_PER_DAY = env_int("RELAIS_TRAINER_INVITATIONS_PER_DAY", 50)
RELAIS_TOT_QUIZ_ATTEMPTS = env_int("RELAIS_TOT_QUIZ_ATTEMPTS", 3)
for _name in ("RELAIS_TRAINER_INVITATIONS_PER_DAY", "RELAIS_TOT_QUIZ_ATTEMPTS"):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(
            f"The environment variable {_name}={globals()[_name]} must be 1 or more."
        )

# --- Auth and accounts ------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/dashboard/"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# Setting a password from the emailed link signs in (and proves the address:
# accounts/receivers.py), so an imported participant goes straight on.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Relais] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# How many proxies in front of Relais append to X-Forwarded-For (0: none, the
# header is ignored). Every rate limit keys on relais.ratelimit.client_ip.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"The environment variable TRUSTED_PROXY_COUNT={TRUSTED_PROXY_COUNT} "
        "must be 0 (no proxy) or the number of proxies in front of Relais."
    )
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# allauth's own limits, kept on and spelled out (they use the cache above).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}

# --- Two factors (allauth.mfa; docs/security.md "Two factors") -------------
# Authenticator apps with recovery codes, and security keys or passkeys where
# the browser offers them. Code entry is limited by "login_failed" above.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = "Relais"
# Whoever can open the Wagtail admin or the reports sets up a second factor
# before getting in (accounts/middleware.py). On by default in production.
RELAIS_STAFF_MFA_REQUIRED = env_bool("RELAIS_STAFF_MFA_REQUIRED", False)

# --- Internationalisation: settings/languages.py ---------------------------
from .languages import *  # noqa: E402, F403

# --- Static and media -----------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Django serves /media/ itself only for `make run` (DEBUG) and the tests'
# live server; in production the proxy or object storage does (README).
RELAIS_SERVE_MEDIA = env_bool("RELAIS_SERVE_MEDIA", DEBUG)
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
# Files that must never sit behind a guessable public URL (certificate PDFs,
# exports). Served only through views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT") or VAR_DIR / "private")
# Those two folders, or two S3 buckets when S3_PRIVATE_BUCKET is set
# (settings/storage.py, docs/storage.md).
STORAGES: dict[str, dict[str, Any]] = {
    **file_storages(private_root=PRIVATE_MEDIA_ROOT),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# --- Email: settings/email.py ---------------------------------------------
from .email import *  # noqa: E402, F403

# --- Wagtail --------------------------------------------------------------
WAGTAIL_SITE_NAME = "Relais"
# Staff may leave the password blank when adding a user: the person is then
# mailed a link to choose their own (accounts/roles/).
WAGTAILUSERS_PASSWORD_REQUIRED = False
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILADMIN_LOGIN_URL = "/accounts/login/"
WAGTAIL_FRONTEND_LOGIN_URL = "/accounts/login/"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No SVG: media are served from our own origin, and an SVG can carry script.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp"]
# One way to reset a password: allauth's throttled flow (/accounts/password/reset/).
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Nothing leaves the server from the admin either: no Gravatar images (staff
# emails would go to a third party), no call home for Wagtail's release news.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
TAGGIT_CASE_INSENSITIVE = True

# --- Security defaults (production tightens further) -----------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "SAMEORIGIN"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy and Permissions-Policy: settings/headers.py.
from .headers import (  # noqa: E402, F401
    CONTENT_SECURITY_POLICY,
    PERMISSIONS_POLICY,
    RELAIS_ADMIN_CSP_UPDATE,
)

# Images from the public bucket, when it is not on this host (docs/storage.md).
CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"] = [
    *CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"],
    *public_media_origins(),
]

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Celery's delivery, time limits and socket timeouts: settings/tasks.py.
from .tasks import *  # noqa: E402, F403
