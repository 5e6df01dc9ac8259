"""Development: `make run`. Nothing needs to be set."""

from relais.env import env_bool, env_str

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
# base.py read this with its own DEBUG (false): `make run` serves /media/.
RELAIS_SERVE_MEDIA = env_bool("RELAIS_SERVE_MEDIA", DEBUG)
SECRET_KEY = env_str("SECRET_KEY") or "dev-only-not-secret-relais-key"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
VAR_DIR.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Demo content and scale data (`load_demo`, `generate_scale_data`).
INSTALLED_APPS = [*INSTALLED_APPS, "demo"]  # noqa: F405
