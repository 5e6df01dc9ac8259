"""The hosts of `make drill` on one machine: each web or worker host is a
process group with its own empty working folder, in its own network
namespace (`ip netns`, a veth link to a bridge) when the machine allows it,
otherwise on its own loopback address. Also the two haproxy processes: the
load balancer under test (HTTP, health checks on /healthz) and, with
namespaces, a plain TCP relay that lets the hosts reach PostgreSQL, Redis,
the S3 server and the SMTP server, which listen on 127.0.0.1 of the machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
BRIDGE = "rldrill0"
SUBNET = "10.77.0"
SERVICES_ADDRESS = f"{SUBNET}.1"  # the machine, as the namespaced hosts see it
WEB_PORT = 8000
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, capture_output=True, text=True)


class Network:
    """Where the hosts live: "netns" (a namespace per host on a bridge) or
    "loopback" (127.0.0.2, 127.0.0.3, ... on the machine's own stack)."""

    def __init__(self, names: list[str], want_netns: bool = True) -> None:
        self.names = names
        self.mode = "loopback"
        self.reason = ""
        self.addresses: dict[str, str] = {}
        if want_netns:
            try:
                self._netns_up()
                self.mode = "netns"
            except (OSError, subprocess.CalledProcessError) as exc:
                detail = getattr(exc, "stderr", "") or str(exc)
                self.reason = f"ip netns failed ({detail.strip()[:160]})"
                self.down()
        else:
            self.reason = "namespaces not asked for"
        if self.mode == "loopback":
            self.addresses = {
                name: f"127.0.0.{n + 2}" for n, name in enumerate(self.names)
            }

    def namespace(self, name: str) -> str:
        return f"rldrill-{name}"

    def _netns_up(self) -> None:
        self.down()  # what a killed earlier run may have left
        run("ip", "link", "add", BRIDGE, "type", "bridge")
        run("ip", "addr", "add", f"{SERVICES_ADDRESS}/24", "dev", BRIDGE)
        run("ip", "link", "set", BRIDGE, "up")
        for n, name in enumerate(self.names):
            ns, address = self.namespace(name), f"{SUBNET}.{11 + n}"
            outside, inside = f"rld{n}h", f"rld{n}n"
            run("ip", "netns", "add", ns)
            run("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            run("ip", "link", "set", inside, "netns", ns)
            run("ip", "link", "set", outside, "master", BRIDGE)
            run("ip", "link", "set", outside, "up")
            exec_ = ("ip", "netns", "exec", ns)
            run(*exec_, "ip", "addr", "add", f"{address}/24", "dev", inside)
            run(*exec_, "ip", "link", "set", inside, "up")
            run(*exec_, "ip", "link", "set", "lo", "up")
            self.addresses[name] = address

    def down(self) -> None:
        for name in self.names:
            ns = self.namespace(name)
            for pid in netns_pids(ns):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            run("ip", "netns", "del", ns, check=False)
        run("ip", "link", "del", BRIDGE, check=False)

    def services_address(self) -> str:
        return SERVICES_ADDRESS if self.mode == "netns" else "127.0.0.1"

    def prefix(self, name: str) -> list[str]:
        if self.mode == "netns":
            return ["ip", "netns", "exec", self.namespace(name)]
        return []


def netns_pids(ns: str) -> list[int]:
    result = run("ip", "netns", "pids", ns, check=False)
    return [int(p) for p in result.stdout.split() if p.isdigit()]


def group_pids(pgid: int) -> list[int]:
    """The processes of a process group (a host's gunicorn or Celery and
    their children), read from /proc."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[2]) == pgid:  # field 5 of stat: the process group
            pids.append(int(entry.name))
    return pids


def cpu_seconds(pid: int) -> float | None:
    """User plus system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def cpu_sample(pids: list[int]) -> dict[int, float]:
    return {pid: t for pid in pids if (t := cpu_seconds(pid)) is not None}


@dataclass
class Host:
    """A web or worker host: one process group, one working folder."""

    name: str
    kind: str
    folder: Path
    args: list[str]
    env: dict[str, str]
    network: Network
    cwd: Path
    process: subprocess.Popen | None = None
    starts: int = 0
    log_paths: list[Path] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.network.addresses[self.name]

    def start(self) -> None:
        self.starts += 1
        log_path = self.folder / f"{self.kind}-{self.starts}.log"
        self.log_paths.append(log_path)
        handle = open(log_path, "ab")  # noqa: SIM115  (lives with the process)
        self.process = subprocess.Popen(
            [*self.network.prefix(self.name), *self.args],
            cwd=self.cwd,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def pids(self) -> list[int]:
        if self.process is None or self.process.poll() is not None:
            return []
        return group_pids(self.process.pid)

    def kill(self) -> None:
        """SIGKILL to every process of the host at once: no clean shutdown,
        nothing handed back to the broker."""
        if self.process is None:
            return
        pids = set(self.pids())
        if self.network.mode == "netns":
            pids |= set(netns_pids(self.network.namespace(self.name)))
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, chars: int = 2000) -> str:
        if not self.log_paths:
            return ""
        return self.log_paths[-1].read_text(errors="replace")[-chars:]


# --- haproxy ----------------------------------------------------------------


def balancer_config(*, port: int, servers: dict[str, str], folder: Path) -> str:
    """The load balancer: round robin, no stickiness (every request may land
    on either host, which is what the shared sessions must survive), health
    checks on /healthz every 500 ms, a server out after two failures."""
    lines = "\n".join(
        f"    server {name} {address}:{WEB_PORT} check"
        for name, address in servers.items()
    )
    return f"""global
    maxconn 4096
    stats socket {folder}/balancer.sock mode 600 level admin
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout http-keep-alive 10s
    retries 2
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend relais
    bind 127.0.0.1:{port}
    default_backend web
backend web
    balance roundrobin
    option forwardfor
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2
    http-response set-header X-Relais-Host %[srv_name]
{lines}
"""


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
    run(HAPROXY, "-c", "-q", "-f", str(path))
    handle = open(folder / f"{name}.log", "ab")  # noqa: SIM115
    return subprocess.Popen(
        [HAPROXY, "-db", "-f", str(path)],
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def balancer_command(folder: Path, command: str) -> str:
    """A command on the balancer's admin socket ("show stat", "disable
    server web/web2", ...)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(2)
        sock.connect(str(folder / "balancer.sock"))
        sock.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode()


def server_states(folder: Path) -> dict[str, str]:
    """web1 -> UP / DOWN / MAINT ..., from the balancer's statistics."""
    text = balancer_command(folder, "show stat")
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
        with contextlib.suppress(OSError):
            if server_states(folder).get(server, "").startswith(prefix):
                return time.monotonic() - started
        time.sleep(0.05)
    return None
