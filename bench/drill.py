"""`make drill`: Relais on several hosts of one machine, with hosts killed
under load (issue 19; bench/README.md "The several-hosts drill").

Two web hosts (gunicorn, production settings) and two Celery worker hosts,
each a process group with its own empty folder, in its own network
namespace (or on its own loopback address), share one PostgreSQL, one Redis,
an S3 server (moto) and an SMTP server, behind haproxy health-checking
/healthz. Under about 60 s of Locust load it SIGKILLs one web host and one
worker host and brings them back, then waits (bounded) for every completion's
certificate and prints the figures.

Environment: DRILL_DATABASE_URL (postgres://postgres@127.0.0.1:5432/relais_drill,
dropped and created each run), DRILL_REDIS_URL (redis://127.0.0.1:6379/10: that
database and the next two are flushed), DRILL_SECONDS (60), DRILL_NETNS (1).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import drill_hosts as hosts  # noqa: E402
from run import ensure_database, ensure_redis, machine, manage, static_is_fresh  # noqa: E402

PYTHON = sys.executable
BIN = Path(PYTHON).parent
QUEUE = "relais-drill"


def log(message: str) -> None:
    print(f"[drill] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_db(url: str, offset: int) -> str:
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{db}"))


def base_environment(run_dir: Path, lb_port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "CELERY_"))}
    env.update(
        DATABASE_URL=os.environ.get(
            "DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/relais_drill"
        ),
        REDIS_URL=os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/10"),
        DJANGO_SETTINGS_MODULE="relais.settings.drill",
        # One key for every host: a session signed on one is valid on the other.
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{lb_port}",
        TRUSTED_PROXY_COUNT="1",
        CELERY_QUEUE=QUEUE,
        CACHE_KEY_PREFIX=f"relais-drill-{run_dir.name}",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        RELAIS_LOCAL_HTTP="true",
        RELAIS_STAFF_MFA_REQUIRED="false",
        EMAIL_USE_TLS="false",
    )
    for name in ("DATABASE_URL", "REDIS_URL"):
        if (urlsplit(env[name]).hostname or "") not in {"127.0.0.1", "localhost"}:
            raise SystemExit(f"[drill] {name} must be on 127.0.0.1")
    return env


def on_services(env: dict[str, str], address: str) -> dict[str, str]:
    """The same environment with the services at `address` (the bridge's
    end in a namespace, 127.0.0.1 otherwise)."""
    out = dict(env)
    for name in ("DATABASE_URL", "REDIS_URL", "S3_ENDPOINT_URL"):
        if name in out:
            parts = urlsplit(out[name])
            netloc = parts.netloc.replace(parts.hostname or "", address, 1)
            out[name] = urlunsplit(parts._replace(netloc=netloc))
    out["EMAIL_HOST"] = address
    return out


def django(env: dict[str, str], *args: str) -> dict:
    out = Path(env["DRILL_RUN_DIR"]) / f"django-{args[0]}.json"
    subprocess.run(
        [PYTHON, str(BENCH / "drill_django.py"), args[0], str(out), *args[1:]],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def fresh_database(env: dict[str, str]) -> None:
    import psycopg

    parts = urlsplit(env["DATABASE_URL"])
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    ensure_database(env)


def flush_redis(env: dict[str, str]) -> None:
    import redis

    for offset in range(3):  # cache, broker, results: the drill's own databases
        redis.Redis.from_url(redis_db(env["REDIS_URL"], offset)).flushdb()


def start_process(args: list[str], log_path: Path, env=None) -> subprocess.Popen:
    handle = open(log_path, "ab")  # noqa: SIM115
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop_process(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    import contextlib
    import signal

    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)


def start_s3(run_dir: Path, port: int) -> subprocess.Popen:
    process = start_process(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        run_dir / "moto.log",
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)  # noqa: S310
            break
        except OSError:
            time.sleep(0.2)
    return process


def make_buckets(env: dict[str, str], *names: str) -> None:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )
    for name in names:
        client.create_bucket(Bucket=name)


def wait_http(url: str, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def load(env, plan_path: Path, run_dir: Path, base: str, *args: str) -> dict:
    out = run_dir / f"load-{'-'.join(args)}.json"
    subprocess.run(
        [PYTHON, str(BENCH / "drill_load.py"), args[0], str(plan_path), str(out), base]
        + list(args[1:]),
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def main() -> None:  # noqa: C901  (one run, in order)
    started = time.monotonic()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = BENCH / "results" / f"drill-{stamp}"
    run_dir.mkdir(parents=True)
    lb_port, s3_port, smtp_port = free_port(), free_port(), free_port()
    env = base_environment(run_dir, lb_port)
    env["DRILL_RUN_DIR"] = str(run_dir)
    seconds = float(os.environ.get("DRILL_SECONDS", "60"))
    env.update(
        S3_PRIVATE_BUCKET="drill-private",
        S3_PUBLIC_BUCKET="drill-public",
        S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
        S3_REGION="us-east-1",
        S3_ACCESS_KEY_ID="drill",
        S3_SECRET_ACCESS_KEY="drill-secret",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
    )
    shared = run_dir / "shared"
    procs: list[subprocess.Popen] = []
    network = None
    all_hosts: list[hosts.Host] = []
    try:
        procs.append(start_s3(run_dir, s3_port))
        make_buckets(env, "drill-private", "drill-public")
        mails = run_dir / "mails.jsonl"
        procs.append(
            start_process(
                [
                    PYTHON,
                    str(BENCH / "drill_mail.py"),
                    "127.0.0.1",
                    str(smtp_port),
                    str(mails),
                ],
                run_dir / "smtp.log",
            )
        )
        s3 = django(env, "storage")["s3"]
        if not s3:
            # Before object storage: one private and one public folder for all.
            env.update(
                MEDIA_ROOT=str(shared / "media"),
                PRIVATE_MEDIA_ROOT=str(shared / "private"),
            )
        storage_mode = "S3 (moto)" if s3 else "shared folder (no S3 backend yet)"
        log(f"storage: {storage_mode}")

        ensure_redis(env)
        fresh_database(env)
        flush_redis(env)
        env["RELAIS_VAR_DIR"] = str(run_dir / "setup")
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "setup_site")
        manage(env, "load_demo")
        if not static_is_fresh():
            manage(env, "collectstatic", "--noinput", "-v", "0")
        plan_path = run_dir / "plan.json"
        django(env, "prepare", "600", "8")
        (run_dir / "django-prepare.json").rename(plan_path)

        names = ["web1", "web2", "worker1", "worker2"]
        network = hosts.Network(names, os.environ.get("DRILL_NETNS", "1") == "1")
        log(f"network: {network.mode} {network.reason}".rstrip())
        if network.mode == "netns":
            procs.append(
                hosts.start_haproxy(
                    hosts.relay_config(
                        ports={
                            "postgres": urlsplit(env["DATABASE_URL"]).port or 5432,
                            "redis": urlsplit(env["REDIS_URL"]).port or 6379,
                            "s3": s3_port,
                            "smtp": smtp_port,
                        }
                    ),
                    run_dir,
                    "relay",
                )
            )
        host_env = on_services(env, network.services_address())
        for name in names:
            folder = run_dir / name
            folder.mkdir()
            henv = dict(host_env, RELAIS_VAR_DIR=str(folder / "var"))
            if s3:
                henv.update(
                    MEDIA_ROOT=str(folder / "media"),
                    PRIVATE_MEDIA_ROOT=str(folder / "private"),
                )
            if name.startswith("web"):
                args = [
                    str(BIN / "gunicorn"),
                    "relais.wsgi:application",
                    "--bind",
                    f"{network.addresses[name]}:{hosts.WEB_PORT}",
                    "--workers",
                    "2",
                    "--threads",
                    "2",
                    "--timeout",
                    "30",
                    "--log-level",
                    "warning",
                ]
            else:
                args = [
                    str(BIN / "celery"),
                    "-A",
                    "relais",
                    "worker",
                    "-Q",
                    QUEUE,
                    "--concurrency=2",
                    "--loglevel=WARNING",
                    "-n",
                    f"{name}@%h",
                ]
            all_hosts.append(
                hosts.Host(name, name.rstrip("12"), folder, args, henv, network, ROOT)
            )
        by_name = {h.name: h for h in all_hosts}
        for host in all_hosts:
            host.start()
        # One beat for the deployment, beside the worker that stays up.
        beat = hosts.Host(
            "worker2",
            "beat",
            by_name["worker2"].folder,
            [
                str(BIN / "celery"),
                "-A",
                "relais",
                "beat",
                "--loglevel=WARNING",
                "-s",
                str(by_name["worker2"].folder / "celerybeat-schedule"),
            ],
            by_name["worker2"].env,
            network,
            ROOT,
        )
        beat.start()
        all_hosts.append(beat)
        procs.append(
            hosts.start_haproxy(
                hosts.balancer_config(
                    port=lb_port,
                    servers={n: network.addresses[n] for n in ("web1", "web2")},
                    folder=run_dir,
                ),
                run_dir,
                "balancer",
            )
        )
        base = f"http://127.0.0.1:{lb_port}"
        for server in ("web1", "web2"):
            if hosts.wait_state(run_dir, server, "UP", 180) is None:
                raise SystemExit(
                    f"[drill] {server} never came up:\n{by_name[server].log_tail()}"
                )
        log(f"two web hosts UP behind haproxy on {base}")

        checks = load(env, plan_path, run_dir, base, "checks")
        log(f"checks: {json.dumps(checks)}")

        # --- throughput, one web host and two --------------------------------
        throughput: dict = {}
        watched = [by_name["web1"], by_name["web2"]]
        for scenario in ("catalogue", "lesson"):
            for count in (1, 2):
                command = "disable" if count == 1 else "enable"
                hosts.balancer_command(run_dir, f"{command} server web/web2")
                pids = {h.name: h.pids() for h in watched}
                before = {n: hosts.cpu_sample(p) for n, p in pids.items()}
                t0 = time.monotonic()
                result = load(
                    env, plan_path, run_dir, base, "throughput", scenario, "16", "10"
                )
                wall = time.monotonic() - t0
                after = {n: hosts.cpu_sample(p) for n, p in pids.items()}
                cpu = {
                    n: sorted(
                        (round(100 * (after[n].get(pid, 0) - t) / wall), pid)
                        for pid, t in before[n].items()
                    )
                    for n in before
                }
                throughput[f"{scenario}-{count}"] = {
                    "rps": result["rps"],
                    "errors": result["errors"],
                    "p95_ms": result["p95_ms"],
                    "hosts": result["hosts"],
                    "cpu_percent": cpu,
                }
        hosts.balancer_command(run_dir, "enable server web/web2")

        # --- the kills ------------------------------------------------------
        import redis as redis_lib

        broker = redis_lib.Redis.from_url(redis_db(env["REDIS_URL"], 1))
        mixed_out = run_dir / "load-mixed.json"
        loader = start_process(
            [
                PYTHON,
                str(BENCH / "drill_load.py"),
                "mixed",
                str(plan_path),
                str(mixed_out),
                base,
                str(seconds),
            ],
            run_dir / "load-mixed.log",
            env=env,
        )
        events: dict = {}
        t0 = time.time()

        def at(offset: float) -> None:
            time.sleep(max(0.0, t0 + offset - time.time()))

        at(seconds * 0.25)
        by_name["web1"].kill()
        events["web_killed"] = time.time()
        events["balancer_drop_s"] = hosts.wait_state(run_dir, "web1", "DOWN", 30)
        at(seconds * 0.35)
        events["unacked_before_kill"] = broker.hlen("unacked")
        by_name["worker1"].kill()
        events["worker_killed"] = time.time()
        events["unacked_after_kill"] = broker.hlen("unacked")
        at(seconds * 0.55)
        by_name["web1"].start()
        events["web_restarted"] = time.time()
        events["balancer_up_s"] = hosts.wait_state(run_dir, "web1", "UP", 120)
        at(seconds * 0.6)
        by_name["worker1"].start()
        events["worker_restarted"] = time.time()
        loader.wait(timeout=seconds + 120)
        mixed = json.loads(mixed_out.read_text())

        drained = django(env, "drain", "300", "120")
        mail_lines = [json.loads(x) for x in mails.read_text().splitlines() if x]
        recipients: dict[str, int] = {}
        for line in mail_lines:
            for to in line["to"]:
                if to.startswith("complete-"):
                    recipients[to] = recipients.get(to, 0) + 1

        restore = None
        if os.environ.get("DRILL_RESTORE", "1") == "1":
            from drill_restore import restore_drill

            restore = restore_drill(env, run_dir, s3=s3)

        report = {
            "date": stamp,
            "machine": machine(),
            "network": network.mode,
            "network_reason": network.reason,
            "storage": storage_mode,
            "checks": checks,
            "throughput": throughput,
            "events": events,
            "mixed": {k: v for k, v in mixed.items() if k != "requests_per_second"},
            "drained": drained,
            "mails": {
                "received": len(mail_lines),
                "certificate_recipients": len(recipients),
                "more_than_one": [k for k, v in recipients.items() if v > 1],
            },
            "restore": restore,
            "seconds": round(time.monotonic() - started, 1),
        }
        (run_dir / "drill.json").write_text(json.dumps(report, indent=1, default=str))
        print_report(report)
    finally:
        for host in all_hosts:
            host.stop()
        for process in procs:
            stop_process(process)
        if network is not None and network.mode == "netns":
            network.down()


def print_report(r: dict) -> None:
    ev, m, d = r["events"], r["mixed"], r["drained"]
    t0 = m["started"]
    errors = m["error_list"]
    when = sorted({round(e["t"] - t0, 1) for e in errors})
    last = d.get("last_issued_ts")
    lines = [
        "",
        f"== Relais several-hosts drill {r['date']} ({r['seconds']} s) ==",
        f"hosts: {r['network']} {r['network_reason']}".rstrip(),
        f"storage: {r['storage']}",
        f"checks: signed in across hosts {r['checks']['session']}, "
        f"rate limit across hosts {r['checks']['rate_limit']}",
        "throughput through the balancer (16 users, 10 s):",
    ]
    tp = r["throughput"]
    for scenario in ("catalogue", "lesson"):
        one, two = tp[f"{scenario}-1"], tp[f"{scenario}-2"]
        lines.append(
            f"  {scenario:<9} one host {one['rps']:>7} req/s, two hosts "
            f"{two['rps']:>7} req/s, ratio {two['rps'] / max(one['rps'], 0.1):.2f}; "
            f"CPU % per process one: {one['cpu_percent']} two: {two['cpu_percent']}"
        )
    lines += [
        f"load: {m['requests']} requests in {m['seconds']} s ({m['rps']} req/s), "
        f"{m['errors']} errors, by host {m['hosts']}",
        f"  errors at (s from start): {when[:30]}; web host killed at "
        f"{ev['web_killed'] - t0:.1f} s, worker host at {ev['worker_killed'] - t0:.1f} s",
        f"  balancer dropped the dead web host after {ev['balancer_drop_s']} s; "
        f"took it back {ev['balancer_up_s']} s after its restart",
        f"  unacked messages at the worker kill: {ev['unacked_before_kill']}",
        f"completions: {d['completions']} (seen by the load: {m['completions_seen']})",
        f"certificates: {d['certificates']} {d['by_status']}; completions without one "
        f"{d['completions_without_certificate']}; issued twice "
        f"{d['issued_more_than_once']}; PDF SHA-256 mismatches {d['pdf_sha256_mismatch']}",
        f"emails: {d['emailed']} marked sent, {r['mails']['received']} received by SMTP, "
        f"recipients with more than one {r['mails']['more_than_one']}",
        "kill to last certificate issued: "
        + (f"{last - ev['worker_killed']:.1f} s" if last else "-")
        + f" (all issued {d['seconds_to_issue_all']} s after the load ended)",
    ]
    if r.get("restore"):
        lines.append(f"restore: {r['restore']['summary']}")
    ok = (
        d["issued_within_timeout"]
        and d["completions"] == d["certificates"]
        and not d["issued_more_than_once"]
        and not d["completions_without_certificate"]
    )
    lines.append(
        "RESULT: "
        + (
            "every completion has exactly one certificate"
            if ok
            else "CERTIFICATES LOST OR DOUBLED"
        )
    )
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    main()
