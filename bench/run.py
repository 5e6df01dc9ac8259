"""`make bench`: Relais under load, beside a bare Django view.

Steps (see bench/README.md): check PostgreSQL and Redis on loopback, create
the bench database if missing, migrate + setup_site + load_demo +
collectstatic, seed the scale data once (prepare.py), start gunicorn with the
production settings and a Celery worker, drive each scenario at each level
from a separate Locust process (loadgen.py), then print the table and write
it as JSON and Markdown under bench/results/.

Environment (all optional):
  DATABASE_URL    postgres://postgres@127.0.0.1:5432/relais_bench
  REDIS_URL       redis://127.0.0.1:6379/8
  BENCH_PORT      8765
  BENCH_GUNICORN  gunicorn options, default "--workers 4 --threads 2" (see README)
  BENCH_LEVELS    8,32        BENCH_WARMUP 3 (s)    BENCH_DURATION 12 (s)
  BENCH_SCENARIOS comma-separated scenario names (the reference always runs)
  BENCH_SKIP_SETUP=1  skip migrate/load_demo/collectstatic (data already there)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform as std_platform
import secrets
import shlex
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import processes  # noqa: E402
from scenarios import P95_TARGET_MS_AT_8  # noqa: E402

PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/relais_bench"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/8"
DEFAULT_GUNICORN = "--workers 4 --threads 2"
QUEUE = "relais-bench"
SCALE_ENROLMENTS = 100_000
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def fail(message: str) -> None:
    print(f"[bench] ERROR: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)
    env.setdefault("REDIS_URL", DEFAULT_REDIS_URL)
    for name in ("DATABASE_URL", "REDIS_URL"):
        host = urlsplit(env[name]).hostname or ""
        if host not in LOOPBACK:
            fail(f"{name} must point at 127.0.0.1 (the bench loads loopback only)")
    env.update(
        DJANGO_SETTINGS_MODULE="relais.settings.bench",
        # A fresh key per run: sessions made by prepare.py are signed with it.
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        DEBUG="false",
        SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port()}",
        CELERY_QUEUE=QUEUE,
        CACHE_KEY_PREFIX="relais-bench",
        LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"),
        PYTHONPATH=os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        RELAIS_VAR_DIR=str(ROOT / "var" / "bench"),
        RELAIS_LOCAL_HTTP="true",  # plain HTTP on loopback, mail to the console
        RELAIS_STAFF_MFA_REQUIRED="false",  # the report scenario signs in as admin
        EMAIL_HOST="",
    )
    return env


def port() -> int:
    return int(os.environ.get("BENCH_PORT", "8765"))


def ensure_database(env: dict[str, str]) -> None:
    import psycopg
    from pgdatabase import create_if_missing

    try:
        if create_if_missing(env["DATABASE_URL"]):
            log(f"created database {urlsplit(env['DATABASE_URL']).path.lstrip('/')}")
    except psycopg.OperationalError as exc:
        parts = urlsplit(env["DATABASE_URL"])
        fail(f"PostgreSQL is not answering at {parts.hostname}:{parts.port}: {exc}")


def enrolment_count(env: dict[str, str]) -> int:
    import psycopg

    try:
        with psycopg.connect(env["DATABASE_URL"], connect_timeout=5) as conn:
            row = conn.execute("SELECT COUNT(*) FROM enrolment_enrolment").fetchone()
            return int(row[0])
    except psycopg.Error:
        return 0


def purge_queue(env: dict[str, str]) -> None:
    """Tasks left from setup or an earlier run would run during the measurements."""
    subprocess.run(
        [PYTHON, "-m", "celery", "-A", "relais", "purge", "-f", "-Q", QUEUE],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def ensure_redis(env: dict[str, str]) -> None:
    import redis

    try:
        redis.Redis.from_url(env["REDIS_URL"], socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        fail(f"Redis is not answering at {env['REDIS_URL']}: {exc}")


def manage(env: dict[str, str], *args: str) -> None:
    started = time.monotonic()
    subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if args[0] == "collectstatic" else None,
    )
    log(f"manage.py {' '.join(args)}: {time.monotonic() - started:.1f}s")


def static_is_fresh() -> bool:
    """The manifest is newer than the lock file and every static source file
    of the project (collectstatic with compression takes ~40 s here)."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return False
    built = manifest.stat().st_mtime
    sources = [ROOT / "uv.lock"]
    for folder in [ROOT / "static", *ROOT.glob("*/static"), *ROOT.glob("*/*/static")]:
        sources += [p for p in folder.rglob("*") if p.is_file()]
    return all(p.stat().st_mtime < built for p in sources if p.exists())


def wait_http(url: str, process: subprocess.Popen, log_path: Path) -> None:
    if processes.wait_http(url, 180, process):
        return
    if process.poll() is not None:
        fail(f"gunicorn exited:\n{log_path.read_text()[-3000:]}")
    fail(f"gunicorn did not answer {url} within 180 s")


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": model or std_platform.processor(),
        "python": std_platform.python_version(),
        "system": f"{std_platform.system()} {std_platform.release()}",
    }


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


# --- the table ----------------------------------------------------------------


def rows(plan: dict, load: dict, levels: list[int]) -> list[dict]:
    reference = load.get("reference", {})
    out = []
    for scenario in plan["scenarios"]:
        name = scenario["name"]
        for users in levels:
            result = load.get(name, {}).get(str(users))
            row = {
                "scenario": name,
                "title": scenario["title"],
                "users": users,
                "queries": scenario["queries"],
                "queries_uncached": scenario["queries_uncached"],
                "target_ratio": scenario["target_ratio"],
            }
            if result is None:
                row["pending"] = scenario["reason"] or "not run"
                out.append(row)
                continue
            ref_rps = result.get("reference_rps") or reference.get(str(users), {}).get(
                "rps"
            )
            ratio = result["rps"] / ref_rps if ref_rps else None
            signed_in_rps = result.get("reference_signed_in_rps")
            row["ratio_signed_in"] = (
                round(result["rps"] / signed_in_rps, 3) if signed_in_rps else None
            )
            row.update(
                {
                    k: result[k]
                    for k in ("rps", "p50_ms", "p95_ms", "errors", "requests")
                },
                ratio=round(ratio, 3) if ratio is not None else None,
            )
            row["verdict"] = verdict(row)
            out.append(row)
    return out


def verdict(row: dict) -> str:
    problems = []
    if row["errors"]:
        problems.append(f"{row['errors']} errors")
    target = row["target_ratio"]
    if target is not None and row["ratio"] is not None and row["ratio"] < target:
        problems.append(f"ratio < {target:.0%}")
    if row["users"] == 8 and (row["p95_ms"] or 0) >= P95_TARGET_MS_AT_8:
        problems.append(f"p95 >= {P95_TARGET_MS_AT_8} ms")
    return "ok" if not problems else "MISS: " + ", ".join(problems)


def fmt(value, suffix: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.0f}{suffix}" if value >= 100 else f"{value:.1f}{suffix}"
    return f"{value}{suffix}"


def table(rows_: list[dict]) -> list[list[str]]:
    header = [
        "scenario",
        "users",
        "req/s",
        "p50 ms",
        "p95 ms",
        "errors",
        "queries",
        "ratio",
        "ratio (signed-in ref)",
        "target",
        "verdict",
    ]
    lines = [header]
    for row in rows_:
        queries = fmt(row["queries"])
        if row["queries_uncached"] is not None:
            queries += f" ({row['queries_uncached']} uncached)"
        target = f"≥ {row['target_ratio']:.0%}" if row["target_ratio"] else "-"
        if "pending" in row:
            lines.append(
                [
                    row["scenario"],
                    str(row["users"]),
                    "-",
                    "-",
                    "-",
                    "-",
                    queries,
                    "-",
                    "-",
                    target,
                    f"pending: {row['pending'][:60]}",
                ]
            )
            continue
        ratio = f"{row['ratio']:.0%}" if row["ratio"] is not None else "-"
        ratio_signed_in = (
            f"{row['ratio_signed_in']:.0%}" if row.get("ratio_signed_in") else "-"
        )
        lines.append(
            [
                row["scenario"],
                str(row["users"]),
                fmt(row["rps"]),
                fmt(row["p50_ms"]),
                fmt(row["p95_ms"]),
                str(row["errors"]),
                queries,
                ratio,
                ratio_signed_in,
                target,
                row["verdict"],
            ]
        )
    return lines


def text_table(lines: list[list[str]]) -> str:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for n, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)))
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown(meta: dict, lines: list[list[str]]) -> str:
    md = [
        f"# Relais bench, {meta['date']}",
        "",
        f"Machine: {meta['machine']['nproc']} CPUs, {meta['machine']['cpu']}; "
        f"{meta['machine']['system']}; Python {meta['machine']['python']}. "
        f"Commit {meta['commit']}. Load average (1, 5, 15 min) before the run "
        f"{meta['load_average_before']}, after {meta['load_average_after']}.",
        f"Server: gunicorn `{meta['gunicorn']}`, relais.settings.bench, "
        f"PostgreSQL + Redis on loopback, one Celery worker.",
        f"Load: Locust FastHttpUser, {meta['warmup']} s warm-up then "
        f"{meta['duration']} s per level, no think time. Data: "
        + ", ".join(f"{v} {k}" for k, v in meta["data"].items())
        + ".",
        "",
        "| " + " | ".join(lines[0]) + " |",
        "|" + "---|" * len(lines[0]),
    ]
    md += ["| " + " | ".join(line) + " |" for line in lines[1:]]
    return "\n".join(md) + "\n"


# --- main -------------------------------------------------------------------------


def main() -> None:
    started = time.monotonic()
    env = environment()
    levels = [int(x) for x in env.get("BENCH_LEVELS", "8,32").split(",")]
    gunicorn_options = env.get("BENCH_GUNICORN", DEFAULT_GUNICORN)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir = RESULTS / stamp
    run_dir.mkdir()

    load_before = [round(x, 2) for x in os.getloadavg()]
    ensure_database(env)
    ensure_redis(env)
    if env.get("BENCH_SKIP_SETUP") != "1":
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "setup_site")
        enrolments = enrolment_count(env)
        if enrolments >= SCALE_ENROLMENTS:
            # The demo went in before the scale data, on the first run. Loading
            # it again now would also request certificates for the ~20,000
            # completed scale enrolments, and the worker would render them
            # during the measurements.
            log(f"{enrolments} enrolments: scale data present, load_demo skipped")
        else:
            manage(env, "load_demo")
        if static_is_fresh():
            log("collected static files are up to date: collectstatic skipped")
        else:
            manage(env, "collectstatic", "--noinput", "-v", "0")
    plan_path = run_dir / "plan.json"
    subprocess.run(
        [PYTHON, str(BENCH / "prepare.py"), str(plan_path)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    plan = json.loads(plan_path.read_text())

    base_url = f"http://127.0.0.1:{port()}"
    gunicorn_log = run_dir / "gunicorn.log"
    worker_log = run_dir / "worker.log"
    server = worker = None
    purge_queue(env)
    try:
        worker = processes.start(
            processes.celery_worker(
                QUEUE,
                f"bench-{stamp}@%h",
                1,
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ),
            worker_log,
            env,
        )
        server = processes.start(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "relais.wsgi:application",
                "--bind",
                f"127.0.0.1:{port()}",
                *shlex.split(gunicorn_options),
                "--preload",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            gunicorn_log,
            env,
        )
        wait_http(f"{base_url}/bench/reference/", server, gunicorn_log)
        log(f"gunicorn {gunicorn_options} on {base_url}; load from a Locust process")
        load_path = run_dir / "load.json"
        subprocess.run(
            [
                PYTHON,
                str(BENCH / "loadgen.py"),
                str(plan_path),
                str(load_path),
                base_url,
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        load = json.loads(load_path.read_text())
    finally:
        processes.stop(server)
        processes.stop(worker)

    result_rows = rows(plan, load, levels)
    meta = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "commit": git_commit(),
        "gunicorn": gunicorn_options,
        "warmup": float(env.get("BENCH_WARMUP", "3")),
        "duration": float(env.get("BENCH_DURATION", "12")),
        "levels": levels,
        "seed": plan["seed"],
        "data": plan["data"],
        "course": plan["course"],
        "accounts": plan["accounts"],
        "seconds": round(time.monotonic() - started, 1),
        # Other work on the machine skews everything; say how busy it was.
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    lines = table(result_rows)
    report = {"meta": meta, "rows": result_rows, "load": load}
    for target in (run_dir, RESULTS):
        (target / "bench.json").write_text(json.dumps(report, indent=1))
        (target / "bench.md").write_text(markdown(meta, lines))
    print()
    print(text_table(lines))
    print()
    log(
        f"{meta['seconds']} s in all; results in {RESULTS / 'bench.md'} and "
        f"{RESULTS / 'bench.json'} (this run: {run_dir.relative_to(ROOT)})"
    )
    log(
        f"sign in by hand as {plan['accounts']['reader']} / "
        f"{plan['accounts']['admin']} with password {plan['accounts']['password']!r}"
    )


if __name__ == "__main__":
    main()
