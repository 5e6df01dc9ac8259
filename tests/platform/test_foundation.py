import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from certificates.credentials.keys import key_new

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "relais.example.org",
    "SITE_URL": "https://relais.example.org",
    "EMAIL_HOST": "smtp.example.org",
    "RELAIS_CREDENTIAL_KEYS": json.dumps({"keys": [key_new()]}),
}


def run_manage(*args, env_extra=None, settings="relais.settings.production"):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"DJANGO_SETTINGS_MODULE": settings})
    env.update(env_extra or {})
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_uuid_works_from_the_repo_root():
    result = subprocess.run(
        [
            PYTHON,
            "-c",
            "import uuid, platform; print(uuid.uuid4().version, platform.system())",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("4 ")


def test_production_settings_pass_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra=PRODUCTION_ENV,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS must name"),
        ({"ALLOWED_HOSTS": "relais.example.org,*"}, "ALLOWED_HOSTS must name"),
        ({"SITE_URL": "http://relais.example.org"}, "SITE_URL='http://relais"),
        (
            {"SITE_URL": "http://relais.example.org", "RELAIS_LOCAL_HTTP": "true"},
            "allows http:// on a loopback address only",
        ),
        ({"EMAIL_HOST": ""}, "EMAIL_HOST is not set"),
        ({"RELAIS_STAFF_MFA_REQUIRED": "false"}, "RELAIS_STAFF_MFA_REQUIRED=false"),
        ({"RELAIS_CREDENTIAL_KEYS": ""}, "no signing key is set"),
    ],
)
def test_production_refuses_to_start_wrong_naming_the_variable(changes, message):
    result = run_manage("check", env_extra={**PRODUCTION_ENV, **changes})
    assert result.returncode != 0
    assert message in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_refuses_a_credential_key_set_it_cannot_read():
    broken = {**PRODUCTION_ENV, "RELAIS_CREDENTIAL_KEYS": '{"keys": [{"kty": "OKP"}]}'}
    result = run_manage("check", env_extra=broken)
    assert result.returncode != 0
    assert "certificates.E001" in result.stderr
    assert "not an Ed25519 JWK" in result.stderr


def test_production_over_plain_http_on_loopback_needs_the_opt_out():
    local = {
        **PRODUCTION_ENV,
        "SITE_URL": "http://127.0.0.1:8765",
        "EMAIL_HOST": "",
        "ALLOWED_HOSTS": "127.0.0.1",
        "RELAIS_STAFF_MFA_REQUIRED": "false",
    }
    assert run_manage("check", env_extra=local).returncode != 0
    result = run_manage("check", env_extra={**local, "RELAIS_LOCAL_HTTP": "true"})
    assert result.returncode == 0, result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "is required in production" in result.stderr


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("DATABASE_URL", "not a url at all", "DATABASE_URL"),
        ("DEBUG", "maybe", "DEBUG='maybe' is not a boolean"),
        ("REDIS_URL", "http://127.0.0.1:6379", "REDIS_URL"),
        ("EMAIL_PORT", "twenty-five", "EMAIL_PORT"),
        ("RELAIS_PAGE_CACHE_SECONDS", "five", "RELAIS_PAGE_CACHE_SECONDS"),
        ("RELAIS_PAGE_CACHE_SECONDS", "-1", "RELAIS_PAGE_CACHE_SECONDS=-1 must be"),
        (
            "RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS",
            "20",
            "RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS=20 must be more than",
        ),
        (
            "RELAIS_CERTIFICATE_PENDING_STALE_SECONDS",
            "0",
            "RELAIS_CERTIFICATE_PENDING_STALE_SECONDS=0 must be",
        ),
    ],
)
def test_malformed_environment_stops_startup_naming_the_variable(
    variable, value, message
):
    result = run_manage(
        "check", env_extra={variable: value}, settings="relais.settings.dev"
    )
    assert result.returncode != 0
    assert message in result.stderr
    # One clear line, not a traceback from deep inside Django.
    assert "ImproperlyConfigured" in result.stderr


def test_migrations_match_the_models(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_healthz_is_ok_when_database_and_broker_answer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"


def test_healthz_names_the_broker_when_it_is_down(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"  # a closed port
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]
    assert response.json()["broker"] == "down"


def test_healthz_names_the_database_when_it_is_down(client, db, monkeypatch):
    from relais import health

    def broken():
        return "OperationalError"

    monkeypatch.setattr(health, "check_database", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database"]


def test_unprefixed_paths_redirect_to_the_visitors_language(client, site):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_home_page_renders_with_landmarks_and_switcher(client, site):
    response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#main"' in html
    assert '<main id="main"' in html
    assert "<nav" in html and 'lang="ru"' in html


def test_language_switch_sets_cookie_and_lands_on_translated_home(client, site):
    from home.models import HomePage

    english_home = HomePage.objects.get(locale__language_code="en")
    response = client.post(
        reverse("set_language"),
        {"language": "fr", "next": "/en/", "page": english_home.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == "/fr/"
    assert response.cookies["relais_language"].value == "fr"


def test_language_switch_is_saved_on_the_profile(client, participant, site):
    client.force_login(participant)
    client.post(reverse("set_language"), {"language": "ru", "next": "/en/"})
    participant.refresh_from_db()
    assert participant.preferred_language == "ru"


def test_language_switch_refuses_an_outside_redirect(client, site):
    response = client.post(
        reverse("set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/es/"


def test_language_switch_refuses_a_get(client, site):
    response = client.get(reverse("set_language"), {"language": "fr", "next": "/en/"})
    assert response.status_code == 405
    assert "relais_language" not in response.cookies


def test_language_switch_gives_a_visitor_no_session(client, site):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/en/"})
    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    assert client.get("/fr/")["X-Relais-Page-Cache"] == "miss"


def test_language_switch_refuses_a_post_from_another_site(client, site):
    response = client.post(
        reverse("set_language"),
        {"language": "ru", "next": "/en/"},
        HTTP_ORIGIN="https://evil.example",
    )
    assert response.status_code == 403
    assert "relais_language" not in response.cookies


def test_language_switch_accepts_a_post_from_its_own_pages(client, site):
    response = client.post(
        reverse("set_language"),
        {"language": "pt", "next": "/en/"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response["Location"] == "/pt/"


def test_the_language_switcher_is_a_form_of_buttons(client, site):
    html = client.get("/en/").content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in html
    assert 'name="language" value="fr" lang="fr"' in html
    assert 'name="next" value="/en/"' in html


def test_admin_login_goes_through_the_rate_limited_login(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_an_unknown_admin_path_answers_the_admins_own_404(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/no-such-thing/here/")
    assert response.status_code == 404  # not a redirect to /en/admin/...
    assert "wagtailadmin/404.html" in [t.name for t in response.templates]


def test_a_visitor_on_an_unknown_admin_path_is_asked_to_sign_in(client):
    response = client.get("/admin/no-such-thing/here/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_admin_paths_without_their_slash_still_get_it(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/pages")
    assert response.status_code == 301 and response["Location"] == "/admin/pages/"
