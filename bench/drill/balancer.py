"""The drill's two haproxy processes: the load balancer under test (HTTP,
round robin, health checks on /healthz) and, with network namespaces, a
plain TCP relay that lets the hosts reach PostgreSQL, Redis, the S3 server
and the SMTP server, which listen on 127.0.0.1 of the machine. Also a
watcher that records when the balancer saw each server change state."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from bench.processes import start

from .hosts import SERVICES_ADDRESS, WEB_PORT

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"


def balancer_config(
    *,
    port: int,
    servers: dict[str, str],
    folder: Path,
    maxconn: int,
    media: tuple[int, str] | None = None,
) -> str:
    """Round robin, no stickiness (every request may land on either host,
    which is what the shared sessions must survive). Each server gets at most
    `maxconn` requests at once, what its gunicorn serves in parallel; the
    rest wait in haproxy's queue rather than in gunicorn's backlog, so that
    a health check is answered within its timeout even when the host is
    saturated. Checks every 500 ms, every 100 ms once one failed; a server is
    out after two failures (a dead host refuses the connection at once) and
    back after two passes. (With `observe layer4 error-limit 1 on-error
    mark-down` the dead host was out at its first refused request, with no
    error at all, but in that one run, haproxy 2.6.12, it was never seen UP
    again after its restart: not used until that is understood.)
    Every request is logged (balancer.log: its termination state says who
    answered an error).

    With `media` (the S3 server's port and the public bucket), `/media/`
    goes to that bucket, as ops/nginx.conf does for docker compose
    (S3_PUBLIC_URL is SITE_URL/media): GET and HEAD only, without the
    client's cookies or credentials, so the bucket's policy alone decides
    (anyone may read images, nothing else: setup.public_read_policy); no
    listing of the bucket (a real store refuses it to anonymous requests,
    moto does not)."""
    media_route = media_backend = ""
    if media is not None:
        s3_port, bucket = media
        media_route = "    use_backend media if { path_beg /media/ }\n"
        media_backend = f"""backend media
    http-request deny unless {{ method GET HEAD }}
    http-request deny unless {{ path_reg ^/media/.+ }}
    http-request del-header Cookie
    http-request del-header Authorization
    http-request replace-path /media/(.*) /{bucket}/\\1
    http-request set-header Host 127.0.0.1:{s3_port}
    http-response del-header Set-Cookie
    server s3 127.0.0.1:{s3_port}
"""
    lines = "\n".join(
        f"    server {name} {address}:{WEB_PORT} check maxconn {maxconn}"
        for name, address in servers.items()
    )
    return f"""global
    maxconn 4096
    stats socket {folder}/balancer.sock mode 600 level admin
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout queue 30s
    timeout check 3s
    timeout http-keep-alive 10s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend relais
    bind 127.0.0.1:{port}
{media_route}    default_backend web
backend web
    balance roundrobin
    option forwardfor
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fastinter 100ms fall 2 rise 2
    http-response set-header X-Relais-Host %[srv_name]
{lines}
{media_backend}"""


def relay_config(*, ports: dict[str, int]) -> str:
    """Plain TCP from the bridge address to the services on 127.0.0.1."""
    sections = "\n".join(
        f"listen {name}\n    bind {SERVICES_ADDRESS}:{port}\n"
        f"    server local 127.0.0.1:{port}"
        for name, port in ports.items()
    )
    return f"""global
    maxconn 4096
defaults
    mode tcp
    timeout connect 2s
    timeout client 1h
    timeout server 1h
{sections}
"""


def start_haproxy(config: str, folder: Path, name: str) -> subprocess.Popen:
    path = folder / f"{name}.cfg"
    path.write_text(config)
    subprocess.run(
        [HAPROXY, "-c", "-q", "-f", str(path)], check=True, capture_output=True
    )
    return start([HAPROXY, "-db", "-f", str(path)], folder / f"{name}.log")


def command(folder: Path, line: str) -> str:
    """A command on the balancer's admin socket ("show stat", "disable
    server web/web2", ...)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect(str(folder / "balancer.sock"))
        sock.sendall(line.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_states(folder: Path) -> dict[str, str]:
    """web1 -> UP / DOWN / MAINT ..., from the balancer's statistics."""
    text = command(folder, "show stat")
    header, *rows = [line for line in text.splitlines() if line]
    columns = header.lstrip("# ").split(",")
    states = {}
    for row in rows:
        values = dict(zip(columns, row.split(","), strict=False))
        if values.get("pxname") == "web" and values.get("svname") not in {
            "BACKEND",
            "FRONTEND",
        }:
            states[values["svname"]] = values.get("status", "")
    return states


def wait_state(folder: Path, server: str, prefix: str, timeout: float) -> float | None:
    """Seconds until the balancer shows `server` in a state starting with
    `prefix` (polled every 50 ms); None if not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(OSError, ValueError):
            if server_states(folder).get(server, "").startswith(prefix):
                return time.monotonic() - started
        time.sleep(0.05)
    return None


class StateWatch(threading.Thread):
    """Polls the balancer every 50 ms and keeps each server's changes of
    state with their wall-clock time, while the kills go on."""

    def __init__(self, folder: Path) -> None:
        super().__init__(daemon=True)
        self.folder = folder
        self.changes: list[tuple[float, str, str]] = []
        self.done = threading.Event()

    def run(self) -> None:
        last: dict[str, str] = {}
        while not self.done.is_set():
            with contextlib.suppress(OSError, ValueError):
                for server, state in server_states(self.folder).items():
                    state = state.split()[0]  # "UP 1/2" -> "UP"
                    if last.get(server) != state:
                        last[server] = state
                        self.changes.append((time.time(), server, state))
            self.done.wait(0.05)

    def first(self, server: str, state: str, after: float) -> float | None:
        """Seconds from `after` until `server` was first seen in `state`."""
        for t, name, seen in self.changes:
            if name == server and seen == state and t >= after:
                return round(t - after, 2)
        return None
