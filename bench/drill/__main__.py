"""`python -m bench.drill`: the drill in order (see __init__.py). Setup, the
hosts behind the balancer, the checks across hosts, the throughput with one
web host and two, the kills under load, the wait for every certificate, the
restore drill; then the figures (report.py), also in bench/results/drill-*/."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from bench.processes import celery_worker, free_port, stop
from bench.run import ensure_redis, machine, manage, static_is_fresh

from . import BENCH, PYTHON, QUEUE, log, setup
from . import balancer as lb
from .hosts import WEB_PORT, Host, Network
from .phases import kills, public_image, throughput
from .report import print_report

GUNICORN_WORKERS = 2
GUNICORN_THREADS = 2
COMPLETERS = 200  # accounts for the completers (each completes once; ~60 do)
READERS = 20  # one signed-in account per concurrent reader


def host_args(name: str, address: str, folder: Path) -> list[str]:
    if name.startswith("web"):
        return [
            PYTHON,
            "-m",
            "gunicorn",
            "relais.wsgi:application",
            "--bind",
            f"{address}:{WEB_PORT}",
            "--workers",
            str(GUNICORN_WORKERS),
            "--threads",
            str(GUNICORN_THREADS),
            # The application loaded once, then forked: a restarted host is
            # back behind the balancer sooner.
            "--preload",
            "--timeout",
            "30",
            "--log-level",
            "warning",
            "--control-socket",
            str(folder / "gunicorn.ctl"),
        ]
    return celery_worker(QUEUE, f"{name}@%h", 2)


def make_hosts(env, run_dir: Path, network: Network, s3: bool) -> list[Host]:
    """web1, web2, worker1, worker2 and the deployment's one beat (beside
    worker2, which stays up), each with its own empty folder as HOME and
    working data."""
    host_env = setup.on_services(env, network.services_address())
    hosts = []
    for name in network.names:
        folder = run_dir / name
        folder.mkdir()
        henv = dict(host_env, HOME=str(folder), RELAIS_VAR_DIR=str(folder / "var"))
        if s3:
            henv.update(
                MEDIA_ROOT=str(folder / "media"),
                PRIVATE_MEDIA_ROOT=str(folder / "private"),
            )
        kind = name.rstrip("0123456789")
        args = host_args(name, network.addresses[name], folder)
        hosts.append(Host(name, kind, folder, args, henv, network))
    worker2 = hosts[-1]
    beat_args = [PYTHON, "-m", "celery", "-A", "relais", "beat", "--loglevel=WARNING"]
    beat_args += ["-s", str(worker2.folder / "celerybeat-schedule")]
    hosts.append(
        Host("worker2", "beat", worker2.folder, beat_args, worker2.env, network)
    )
    return hosts


def main() -> None:  # noqa: C901  (one run, in order)
    parser = argparse.ArgumentParser(prog="python -m bench.drill", description=__doc__)
    parser.add_argument(
        "--setup-only",
        action="store_true",
        help="make the database (from the template, else migrated and seeded, "
        "then kept as the template) and the static files, then stop",
    )
    setup_only = parser.parse_args().setup_only
    # A SIGTERM (`timeout`, a closed terminal) unwinds like Ctrl-C, through the
    # `finally` below that stops every host and removes the namespaces.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = BENCH / "results" / f"drill-{stamp}"
    run_dir.mkdir(parents=True)
    lb_port, s3_port, smtp_port = free_port(), free_port(), free_port()
    env = setup.base_environment(run_dir, lb_port)
    env.update(setup.s3_environment(s3_port, env["SITE_URL"]))
    env.update(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(smtp_port))
    seconds = float(os.environ.get("DRILL_SECONDS", "60"))
    procs = []
    network = None
    all_hosts: list[Host] = []
    timings: dict[str, float] = {}
    try:
        procs.append(setup.start_s3(env, run_dir, s3_port))
        mails = run_dir / "mails.jsonl"
        procs.append(setup.start_smtp(run_dir, smtp_port, mails))
        s3 = setup.django(env, "storage")["s3"]
        if not s3:
            # Before object storage: one private and one public folder for all.
            shared = run_dir / "shared"
            env.update(
                MEDIA_ROOT=str(shared / "media"),
                PRIVATE_MEDIA_ROOT=str(shared / "private"),
            )
        storage = "S3 (moto)" if s3 else "shared folder (no S3 backend yet)"
        log(f"storage: {storage}")

        ensure_redis(env)
        env["RELAIS_VAR_DIR"] = str(run_dir / "setup")
        database, seeded = setup.fresh_database(env, s3, COMPLETERS, READERS)
        log(f"database: {database}" + (f" {json.dumps(seeded)}" if seeded else ""))
        setup.flush_redis(env)  # what the seed queued: settle() queues it again
        if setup_only:
            if not static_is_fresh():
                manage(env, "collectstatic", "--noinput", "-v", "0")
            log(f"--setup-only: ready in {time.monotonic() - started:.1f} s")
            return

        names = ["web1", "web2", "worker1", "worker2"]
        network = Network(names, os.environ.get("DRILL_NETNS", "1") == "1")
        log(f"network: {network.mode} {network.reason}".rstrip())
        if network.mode == "netns":
            ports = {
                "postgres": urlsplit(env["DATABASE_URL"]).port or 5432,
                "redis": urlsplit(env["REDIS_URL"]).port or 6379,
                "s3": s3_port,
                "smtp": smtp_port,
            }
            procs.append(
                lb.start_haproxy(lb.relay_config(ports=ports), run_dir, "relay")
            )
        all_hosts = make_hosts(env, run_dir, network, s3)
        by_name = {h.name: h for h in all_hosts if h.kind != "beat"}
        # The workers first: they render the seeded certificates while the
        # static files are collected, the load's sessions made and the web
        # hosts start.
        for host in all_hosts:
            if host.kind != "web":
                host.start()
        settled = setup.django(env, "settle")
        if not static_is_fresh():
            manage(env, "collectstatic", "--noinput", "-v", "0")
        plan = run_dir / "plan.json"
        setup.django(env, "prepare", str(COMPLETERS), str(READERS))
        (run_dir / "django-prepare.json").rename(plan)
        timings["setup"] = time.monotonic() - started
        for host in all_hosts:
            if host.kind == "web":
                host.start()
        servers = {n: network.addresses[n] for n in ("web1", "web2")}
        config = lb.balancer_config(
            port=lb_port,
            servers=servers,
            folder=run_dir,
            maxconn=GUNICORN_WORKERS * GUNICORN_THREADS,
            media=(s3_port, env["S3_PUBLIC_BUCKET"]) if s3 else None,
        )
        procs.append(lb.start_haproxy(config, run_dir, "balancer"))
        for server in servers:
            if lb.wait_state(run_dir, server, "UP", 180) is None:
                tail = by_name[server].log_tail()
                raise SystemExit(f"[drill] {server} never came up:\n{tail}")
        timings["hosts_up"] = time.monotonic() - started
        log(f"two web hosts UP behind haproxy on {env['SITE_URL']}")
        idle = setup.broker_idle(env, 240)
        log(f"seeded certificates ({settled['queued']} queued) issued after {idle} s")

        checks = setup.load(env, plan, "checks", "checks")
        if s3:
            checks["public_image"] = public_image(env["SITE_URL"], plan)
        log(f"checks: {json.dumps(checks)}")
        web = [by_name["web1"], by_name["web2"]]
        rates = throughput(env, plan, run_dir, web)
        setup.broker_idle(env, 60)
        mixed, events = kills(env, plan, run_dir, by_name, seconds)
        drained = setup.django(env, "drain", "300", str(setup.MAIL_WAIT))
        mail_lines = [json.loads(x) for x in mails.read_text().splitlines() if x]
        recipients: dict[str, int] = {}
        for line in mail_lines:
            for to in line["to"]:
                if to.startswith("complete-"):
                    recipients[to] = recipients.get(to, 0) + 1
        timings["load_and_drain"] = time.monotonic() - started

        restore = None
        if os.environ.get("DRILL_RESTORE", "1") == "1":
            from .restore import restore_drill

            restore = restore_drill(env, run_dir, s3=s3)

        report = {
            "date": stamp,
            "machine": machine(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "network": network.mode,
            "network_reason": network.reason,
            "storage": storage,
            "database": database,
            "seeded": seeded,
            "settled": settled,
            "checks": checks,
            "throughput": rates,
            "events": events,
            "mixed": {k: v for k, v in mixed.items() if k != "requests_per_second"},
            "drained": drained,
            "mails": {
                "received": len(mail_lines),
                "certificate_recipients": len(recipients),
                "more_than_one": [k for k, v in recipients.items() if v > 1],
            },
            "restore": restore,
            "timings": {k: round(v, 1) for k, v in timings.items()},
            "seconds": round(time.monotonic() - started, 1),
        }
        (run_dir / "drill.json").write_text(json.dumps(report, indent=1, default=str))
        held = print_report(report)
        log(f"logs and figures in {run_dir}")
        if not held:
            raise SystemExit(1)
    finally:
        for host in all_hosts:
            host.stop()
        for process in procs:
            stop(process, timeout=15)
        if network is not None and network.mode == "netns":
            network.down()


if __name__ == "__main__":
    main()
