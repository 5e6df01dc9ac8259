"""Relais as an operator runs it: gunicorn with production settings behind a
real nginx (Debian's package, started here on 127.0.0.1), TRUSTED_PROXY_COUNT=1.

Two people reach the proxy from different addresses (127.0.0.2 and 127.0.0.3,
both loopback): six wrong passwords from one leave the other's sign-in
working, /media/ is answered by nginx without reaching gunicorn, and every
response carries the security headers."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.browser import Browser
from bench.processes import free_port
from tests.conftest import CI, require_services
from tests.workers import ROOT, database_url

pytestmark = pytest.mark.services

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def wait_for(condition, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def answers(port: int, path: str = "/healthz") -> bool:
    """True once the server answers a request (the app loaded), whatever
    the status: /healthz says 503 when the broker is away."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        connection.getresponse().read()
        connection.close()
        return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """The production settings' manifest storage needs collectstatic."""
    root = tmp_path_factory.mktemp("static")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "relais.settings.test",
        "STATIC_ROOT": str(root),
    }
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "collectstatic",
            "--noinput",
            "--settings=relais.settings.production",
        ],
        cwd=ROOT,
        env={
            **env,
            "SECRET_KEY": "s" * 30 + "collect-static-for-the-proxy-test-0123",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SITE_URL": "http://127.0.0.1",
            "RELAIS_LOCAL_HTTP": "true",
        },
        check=True,
        capture_output=True,
        timeout=300,
    )
    return root


@pytest.fixture
def stack(
    transactional_db,
    django_db_serialized_rollback,
    site,
    tmp_path,
    collected_static,
    settings,
):
    """gunicorn (production settings) behind nginx, both on 127.0.0.1."""
    require_services(postgres=True)
    if not Path(NGINX).exists():
        if CI:
            pytest.fail("nginx is missing: .ci/run installs it")
        pytest.skip("needs nginx (apt-get install nginx)")
    web_port, proxy_port = free_port(), free_port()
    media = tmp_path / "media"
    media.mkdir()
    (media / "hello.txt").write_text("served by the proxy\n")
    access_log = tmp_path / "gunicorn-access.log"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="relais.settings.production",
        SECRET_KEY="p" * 30 + "a-production-secret-for-the-proxy-test",
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL=f"http://127.0.0.1:{proxy_port}",
        RELAIS_LOCAL_HTTP="true",
        SECURE_SSL_REDIRECT="false",
        TRUSTED_PROXY_COUNT="1",
        DATABASE_URL=database_url(),
        STATIC_ROOT=str(collected_static),
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
        RELAIS_VAR_DIR=str(tmp_path / "var"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        CACHE_KEY_PREFIX=settings.CACHES["default"].get("KEY_PREFIX", "relais"),
    )
    gunicorn = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "relais.wsgi:application",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
            "--threads",
            "2",
            "--access-logfile",
            str(access_log),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "w"),  # noqa: SIM115
    )
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"""
user root;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/nginx-access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{proxy_port};
        location /media/ {{
            alias {media}/;
            add_header X-Content-Type-Options nosniff always;
        }}
        location / {{
            proxy_pass http://127.0.0.1:{web_port};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""
    )
    nginx = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for(lambda: answers(web_port), timeout=120, what="gunicorn")
        wait_for(lambda: answers(proxy_port), timeout=30, what="nginx")
        yield {"port": proxy_port, "access_log": access_log}
    finally:
        for process in (nginx, gunicorn):
            process.send_signal(signal.SIGTERM)
        for process in (nginx, gunicorn):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_behind_nginx_a_lock_out_falls_on_the_attacker_alone(
    stack, participant, outsider, settings
):
    # The suite hashes with MD5 for speed; the production settings do not know it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    participant.set_password("correct-horse-battery")
    participant.save(update_fields=["password"])
    attacker = Browser(stack["port"], "127.0.0.2")
    for attempt in range(6):
        response, page = attacker.sign_in(outsider.email, f"wrong-{attempt}")
        assert response.status == 200
    assert "Too many failed login attempts" in page

    colleague = Browser(stack["port"], "127.0.0.3")
    response, _ = colleague.sign_in(participant.email, "correct-horse-battery")
    assert response.status == 302
    assert "sessionid" in colleague.cookies
    response, page = colleague.request("GET", "/en/dashboard/")
    assert response.status == 200
    assert "Alice" in page


def test_behind_nginx_media_never_reach_gunicorn(stack):
    visitor = Browser(stack["port"], "127.0.0.2")
    response, body = visitor.request("GET", "/media/hello.txt")
    assert response.status == 200
    assert body == "served by the proxy\n"
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    response, _ = visitor.request("GET", "/en/")
    assert response.status == 200
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "Referrer-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
    ):
        assert response.headers.get(header), header

    # gunicorn writes its access line after sending the response: wait for
    # it, so that what is absent from the log is really absent.
    log = stack["access_log"]
    wait_for(lambda: "GET /en/ " in log.read_text(), timeout=10, what="the access line")
    assert "/media/" not in log.read_text()
