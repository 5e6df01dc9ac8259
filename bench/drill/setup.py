"""What the drill's hosts share, set up before they start: the environment
every host gets, PostgreSQL (a fresh database, from a cached template when
the code that fills it has not changed), Redis (the drill's three databases
flushed), the S3 server (moto) with its buckets, the SMTP sink; and the
drill's own subprocesses (the Django side, the load)."""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from joserfc.jwk import OKPKey

from bench.processes import answers_200, start
from bench.run import ensure_database, manage

from . import BENCH, PYTHON, QUEUE, ROOT

# The files of the template database (fresh_database).
FILES = BENCH / "results" / "drill-template-files"
# What fills it besides migrate and setup_site (django_side.py seed).
SEED = "bench/drill/seed.py"
# The sweep's times in the drill (base_environment); the drain waits for
# mails up to MAIL_WAIT, a stale claim and two sweeps.
SWEEP_SECONDS = 5
MAIL_STALE_SECONDS = 30
PENDING_STALE_SECONDS = 20
MAIL_WAIT = MAIL_STALE_SECONDS + 2 * SWEEP_SECONDS + 10


def redis_db(url: str, offset: int) -> str:
    parts = urlsplit(url)
    db = int(parts.path.lstrip("/") or 0) + offset
    return urlunsplit(parts._replace(path=f"/{db}"))


def credential_keys() -> Path:
    """The drill's credential key set, made once and kept with the template
    database, whose demo credentials it signed."""
    path = BENCH / "results" / "drill-credential-keys.json"
    if not path.exists():
        key = OKPKey.generate_key("Ed25519", parameters={"use": "sig"})
        jwk = {**key.as_dict(private=True), "kid": key.thumbprint()}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"keys": [jwk]}))
        path.chmod(0o600)
    return path


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
        # One credential key set too: what a worker host signs, every web
        # host publishes and verifies (docs/credentials.md).
        RELAIS_CREDENTIAL_KEYS_FILE=str(credential_keys()),
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
        DRILL_RUN_DIR=str(run_dir),
        # What a killed host leaves (a mail claimed and not sent, a
        # completion whose render was never published) is swept within the
        # run rather than after 5 and 2 minutes (settings/base.py): the
        # sweeps every SWEEP_SECONDS, a claim stale after MAIL_STALE_SECONDS.
        RELAIS_SWEEP_SECONDS=str(SWEEP_SECONDS),
        RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS=str(MAIL_STALE_SECONDS),
        RELAIS_CERTIFICATE_PENDING_STALE_SECONDS=str(PENDING_STALE_SECONDS),
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


def run_json(env: dict[str, str], module: str, out: Path, *args: str) -> dict:
    subprocess.run(
        [PYTHON, "-m", f"bench.drill.{module}", *args[:1], str(out), *args[1:]],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return json.loads(out.read_text())


def django(env: dict[str, str], command: str, *args: str) -> dict:
    """A subcommand of django_side.py, in its own process; its JSON."""
    out = Path(env["DRILL_RUN_DIR"]) / f"django-{command}.json"
    return run_json(env, "django_side", out, command, *args)


def load(env: dict[str, str], plan: Path, tag: str, mode: str, *args: str) -> dict:
    """A run of load.py (Locust) against the balancer; its JSON summary."""
    out = Path(env["DRILL_RUN_DIR"]) / f"load-{tag}.json"
    return run_json(env, "load", out, mode, str(plan), env["SITE_URL"], *args)


# --- PostgreSQL and Redis ----------------------------------------------------


def setup_key() -> str:
    """A digest of everything that decides what migrate, setup_site and the
    seed write: the tracked Python files outside bench/ and tests/ as they
    are in the working tree, the seed itself, and uv.lock."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "*.py", "uv.lock"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    digest = hashlib.sha256()
    for name in sorted({n.decode() for n in listed if n} | {SEED}):
        outside = not name.startswith(("bench/", "tests/")) or name == SEED
        if not outside or not (ROOT / name).exists():
            continue
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return digest.hexdigest()


def fresh_database(env: dict[str, str], s3: bool, completers: int, readers: int):
    """Drop and create the drill's database, migrated, with the site and the
    drill's content (seed.py: `completers` and `readers` accounts). Setting
    it up takes a couple of minutes (migrate); the result is kept as a
    template database labelled with setup_key(), with a copy of the files
    the seed stored (files_save), and a later run with the same key copies
    both back in seconds. Returns how, and the seed's figures if it ran."""
    import psycopg

    parts = urlsplit(env["DATABASE_URL"])
    name = parts.path.lstrip("/")
    template = f"{name}_template"
    admin = urlunsplit(parts._replace(path="/postgres"))
    storage = "s3" if s3 else "folders"
    key = f"{setup_key()} {storage} {completers}+{readers}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
            " WHERE datname = %s",
            [template],
        ).fetchone()
        cached = row and row[0] == key and (FILES / "done").exists()
        if os.environ.get("DRILL_FRESH") != "1" and cached:
            started = time.monotonic()
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            count = files_load(env, s3)
            return (
                f"copied from {template} with {count} files in "
                f"{time.monotonic() - started:.1f}s"
            ), None
    ensure_database(env)
    steps = {}
    for step, args in (
        ("migrate", ("migrate", "--noinput", "-v", "0")),
        ("setup_site", ("setup_site",)),
    ):
        started = time.monotonic()
        manage(env, *args)
        steps[step] = round(time.monotonic() - started, 1)
    seeded = django(env, "seed", str(completers), str(readers))
    seeded["steps"] = steps
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{template}"')
        conn.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
        conn.execute(f"COMMENT ON DATABASE \"{template}\" IS '{key}'")
    files_save(env, s3)
    return f"migrated and seeded (kept as {template} for the next run)", seeded


def _stores(env: dict[str, str], s3: bool) -> list[tuple[str, str]]:
    """(name in the cache, bucket or folder) of the public and private files."""
    if s3:
        return [
            ("public", env["S3_PUBLIC_BUCKET"]),
            ("private", env["S3_PRIVATE_BUCKET"]),
        ]
    return [("public", env["MEDIA_ROOT"]), ("private", env["PRIVATE_MEDIA_ROOT"])]


def files_save(env: dict[str, str], s3: bool) -> None:
    """The files the seed stored (its image), into FILES beside the
    template database: both are what the next run starts from."""
    shutil.rmtree(FILES, ignore_errors=True)
    FILES.mkdir(parents=True)
    client = s3_client(env) if s3 else None
    for label, where in _stores(env, s3):
        target = FILES / label
        if client is None:
            if Path(where).exists():
                shutil.copytree(where, target)
            continue
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=where)
        for page in pages:
            for item in page.get("Contents", []):
                path = target / item["Key"]
                path.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(where, item["Key"], str(path))
    (FILES / "done").touch()


def files_load(env: dict[str, str], s3: bool) -> int:
    client = s3_client(env) if s3 else None
    count = 0
    for label, where in _stores(env, s3):
        source = FILES / label
        if not source.exists():
            continue
        if client is None:
            shutil.copytree(source, where)
            count += sum(1 for p in Path(where).rglob("*") if p.is_file())
            continue
        for path in source.rglob("*"):
            if path.is_file():
                key = path.relative_to(source).as_posix()
                client.upload_file(str(path), where, key)
                count += 1
    return count


def flush_redis(env: dict[str, str]) -> None:
    import redis

    for offset in range(3):  # cache, broker, results: the drill's own databases
        redis.Redis.from_url(redis_db(env["REDIS_URL"], offset)).flushdb()


def broker_idle(env: dict[str, str], timeout: float) -> float | None:
    """Seconds until the drill's queue is empty and no message is held by a
    worker (the demo's certificates rendered), None if not within `timeout`."""
    import redis

    broker = redis.Redis.from_url(redis_db(env["REDIS_URL"], 1))
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not broker.llen(QUEUE) and not broker.hlen("unacked"):
            return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    return None


# --- S3 and SMTP -------------------------------------------------------------


def s3_environment(port: int, site_url: str) -> dict[str, str]:
    """Two buckets on the S3 server; browsers reach the public one through
    the balancer's /media/ (balancer.balancer_config), as through docker
    compose's nginx."""
    return {
        "S3_PUBLIC_URL": f"{site_url}/media",
        "S3_PRIVATE_BUCKET": "drill-private",
        "S3_PUBLIC_BUCKET": "drill-public",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
        "S3_REGION": "us-east-1",
        "S3_ACCESS_KEY_ID": "drill",
        "S3_SECRET_ACCESS_KEY": "drill-secret",
    }


def s3_client(env: dict[str, str]):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=env["S3_ENDPOINT_URL"],
        region_name=env["S3_REGION"],
        aws_access_key_id=env["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
    )


def start_s3(env: dict[str, str], run_dir: Path, port: int):
    moto = [PYTHON, "-m", "moto.server"]
    process = start([*moto, "-H", "127.0.0.1", "-p", str(port)], run_dir / "moto.log")
    deadline = time.monotonic() + 30
    while not answers_200(f"http://127.0.0.1:{port}/"):
        if time.monotonic() > deadline or process.poll() is not None:
            raise SystemExit(f"[drill] moto_server did not start: {run_dir}/moto.log")
        time.sleep(0.2)
    client = s3_client(env)
    for bucket in (env["S3_PRIVATE_BUCKET"], env["S3_PUBLIC_BUCKET"]):
        client.create_bucket(Bucket=bucket)
    public = env["S3_PUBLIC_BUCKET"]
    client.put_bucket_policy(Bucket=public, Policy=public_read_policy(public))
    return process


def public_read_policy(bucket: str) -> str:
    """The public bucket's policy as docs/storage.md gives it for a real
    deployment: anyone may read images (originals and renditions), nothing
    else; documents stay behind Relais's serve view. The private bucket has
    none."""
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": [
                        f"arn:aws:s3:::{bucket}/images/*",
                        f"arn:aws:s3:::{bucket}/original_images/*",
                    ],
                }
            ],
        }
    )


def start_smtp(run_dir: Path, port: int, mails: Path):
    args = [PYTHON, "-m", "bench.drill.mail", "127.0.0.1", str(port), str(mails)]
    return start(args, run_dir / "smtp.log")
