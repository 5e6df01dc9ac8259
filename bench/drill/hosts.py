"""The hosts of `make drill` on one machine: each web or worker host is a
process group with its own empty working folder, in its own network
namespace (`ip netns`, a veth link to a bridge) when the machine allows it,
otherwise on its own loopback address; and the CPU time their processes use.
The haproxy processes are in balancer.py."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from bench.processes import start, stop

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
        for n in range(len(self.names)):
            # Deleting a namespace deletes its veth pair only once the last
            # process in it has gone; a killed earlier run can leave one.
            run("ip", "link", "del", f"rld{n}h", check=False)
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


def pids_named(*names: str) -> list[int]:
    """The processes whose command name is one of `names` (postgres,
    redis-server, haproxy ...), to put their CPU beside the hosts'."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if (entry / "comm").read_text().strip() in names:
                    pids.append(int(entry.name))
    return pids


def machine_cpu() -> tuple[float, float]:
    """CPU seconds the whole machine was busy and in all (every core), so
    far: how much of it other work took while the drill measured."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split()[1:9]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields) - idle) / CLOCK_TICKS, sum(fields) / CLOCK_TICKS


@dataclass
class Host:
    """A web or worker host: one process group, one working folder."""

    name: str
    kind: str
    folder: Path
    args: list[str]
    env: dict[str, str]
    network: Network
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
        self.process = start(
            [*self.network.prefix(self.name), *self.args], log_path, self.env
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
        stop(self.process)

    def log_tail(self, chars: int = 2000) -> str:
        if not self.log_paths:
            return ""
        return self.log_paths[-1].read_text(errors="replace")[-chars:]
