"""The backup and restore drill (issue 19 item 5, `make restore-drill`), run
at the end of `make drill` while its services still run: pg_dump of the
database and a copy of the buckets (or the private folder), restored into a
fresh database and a fresh bucket (folder); then every certificate's stored PDF must still have
its recorded SHA-256, every verification URL must answer as before, and the
counts of enrolments, progress and certificates must match."""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .setup import run_json, s3_client


def snapshot(env: dict[str, str], out: Path, files: bool) -> dict:
    return run_json(env, "django_side", out, "snapshot", "files" if files else "")


def copy_bucket(env: dict[str, str], source: str, target: str) -> int:
    """Every object of `source` into a new bucket `target`, eight at a time."""
    client = s3_client(env)
    client.create_bucket(Bucket=target)
    keys = [
        item["Key"]
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=source)
        for item in page.get("Contents", [])
    ]

    def copy(key: str) -> None:
        client.copy_object(
            Bucket=target, Key=key, CopySource={"Bucket": source, "Key": key}
        )

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(copy, keys))
    return len(keys)


def restore_drill(env: dict[str, str], run_dir: Path, *, s3: bool) -> dict:
    # Before: the counts and the verification answers (the live store's PDFs
    # were checked against their SHA-256 by the drain); after: all three.
    # Nothing changes the data any more, so the first snapshot is taken while
    # the backup is made and restored.
    early = ThreadPoolExecutor(1)
    before_job = early.submit(
        snapshot, env, run_dir / "snapshot-before.json", files=False
    )
    parts = urlsplit(env["DATABASE_URL"])
    name = parts.path.lstrip("/")
    restored_name = f"{name}_restore"
    dump = run_dir / "backup.dump"
    admin = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), env["DATABASE_URL"]], check=True)
    subprocess.run(
        [
            "psql",
            admin,
            "-qc",
            f'DROP DATABASE IF EXISTS "{restored_name}" WITH (FORCE)',
        ],
        check=True,
    )
    subprocess.run(
        ["psql", admin, "-qc", f'CREATE DATABASE "{restored_name}"'], check=True
    )
    restored_url = urlunsplit(parts._replace(path=f"/{restored_name}"))
    subprocess.run(
        ["pg_restore", "--no-owner", "-d", restored_url, str(dump)], check=True
    )
    restored_env = dict(
        env,
        DATABASE_URL=restored_url,
        CACHE_KEY_PREFIX=env["CACHE_KEY_PREFIX"] + "-restored",
    )
    if s3:
        objects = copy_bucket(env, env["S3_PRIVATE_BUCKET"], "drill-restore-private")
        objects += copy_bucket(env, env["S3_PUBLIC_BUCKET"], "drill-restore-public")
        restored_env.update(
            S3_PRIVATE_BUCKET="drill-restore-private",
            S3_PUBLIC_BUCKET="drill-restore-public",
        )
    else:
        target = run_dir / "restored-private"
        shutil.copytree(env["PRIVATE_MEDIA_ROOT"], target)
        objects = sum(1 for p in target.rglob("*") if p.is_file())
        restored_env["PRIVATE_MEDIA_ROOT"] = str(target)
    after = snapshot(restored_env, run_dir / "snapshot-after.json", files=True)
    before = before_job.result()
    early.shutdown()
    by_code = {c["code"]: c for c in after["certificates"]}
    sha_bad = [
        c["code"]
        for c in after["certificates"]
        if c["status"] == "issued" and c["stored_sha256"] != c["sha256"]
    ]
    answers_differ = [
        c["code"]
        for c in before["certificates"]
        if by_code.get(c["code"], {}).get("verify") != c["verify"]
    ]
    counts_match = before["counts"] == after["counts"]
    ok = counts_match and not sha_bad and not answers_differ
    summary = (
        f"{'ok' if ok else 'FAILED'}: dump {dump.stat().st_size // 1024} KB, "
        f"{objects} objects/files copied; counts {after['counts']} "
        f"{'match' if counts_match else 'DIFFER from ' + str(before['counts'])}; "
        f"PDF SHA-256 mismatches {len(sha_bad)}; verification answers that "
        f"changed {len(answers_differ)} of {len(before['certificates'])}"
    )
    return {
        "ok": ok,
        "summary": summary,
        "sha_bad": sha_bad[:20],
        "answers_differ": answers_differ[:20],
    }
