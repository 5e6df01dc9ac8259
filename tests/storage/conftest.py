"""A real S3-protocol server for the storage tests: moto's standalone server
(`python -m moto.server`), one per test session, on 127.0.0.1 and a free
port, with the two buckets Relais uses.

moto is a dev dependency, so its server failing to start is an error
everywhere, never a skip (and CI=true turns any skip into a failure anyway).
The tests that also need a real Celery worker skip locally without
PostgreSQL and Redis, as the other worker tests do (tests/conftest.py)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import require_services

PRIVATE_BUCKET = "relais-test-private"
PUBLIC_BUCKET = "relais-test-public"
# The public bucket's policy, as docs/storage.md recommends: anyone may read
# images (originals and renditions); documents are served by Relais, which
# checks Wagtail's privacy settings first.
PUBLIC_PREFIXES = ("images/", "original_images/")
START_TIMEOUT = 60.0


@dataclass
class S3Server:
    endpoint: str
    process: subprocess.Popen
    log_path: Path

    def env(self) -> dict[str, str]:
        """The environment that points Relais at this server."""
        return {
            "S3_PRIVATE_BUCKET": PRIVATE_BUCKET,
            "S3_PUBLIC_BUCKET": PUBLIC_BUCKET,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "relais-test",
            "S3_SECRET_ACCESS_KEY": "relais-test-secret",
            "S3_PRESIGNED_SECONDS": "120",
        }

    def client(self):
        import boto3

        env = self.env()
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=env["S3_REGION"],
            aws_access_key_id=env["S3_ACCESS_KEY_ID"],
            aws_secret_access_key=env["S3_SECRET_ACCESS_KEY"],
        )

    def keys(self, bucket: str) -> list[str]:
        listing = self.client().list_objects_v2(Bucket=bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, bucket: str, key: str) -> bytes:
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read()

    def anonymous_get(self, bucket: str, key: str) -> tuple[int, bytes]:
        """GET the object's plain URL, without any signature."""
        url = f"{self.endpoint}/{bucket}/{key}"
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def empty_buckets(self) -> None:
        client = self.client()
        for bucket in (PRIVATE_BUCKET, PUBLIC_BUCKET):
            for key in self.keys(bucket):
                client.delete_object(Bucket=bucket, Key=key)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(endpoint: str) -> bool:
    try:
        with urllib.request.urlopen(endpoint + "/", timeout=1):  # noqa: S310
            return True
    except urllib.error.HTTPError:
        return True  # it answered, if only to refuse
    except OSError:
        return False


def _start(log_path: Path) -> S3Server:
    """Start moto's server on a free port; retry on another port if the one
    picked was taken in between."""
    for _attempt in range(3):
        port = _free_port()
        log = open(log_path, "ab")  # noqa: SIM115  (closed with the process)
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        server = S3Server(f"http://127.0.0.1:{port}", process, log_path)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if _answers(server.endpoint):
                return server
            time.sleep(0.1)
        _stop(process)
    pytest.fail(
        f"moto's S3 server did not start on 127.0.0.1 (see {log_path}):\n"
        + log_path.read_text(errors="replace")[-4000:],
        pytrace=False,
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    server = _start(tmp_path_factory.mktemp("moto") / "moto.log")
    try:
        client = server.client()
        for bucket in (PRIVATE_BUCKET, PUBLIC_BUCKET):
            client.create_bucket(Bucket=bucket)
        client.put_bucket_policy(
            Bucket=PUBLIC_BUCKET,
            Policy=json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Principal": "*",
                            "Action": "s3:GetObject",
                            "Resource": [
                                f"arn:aws:s3:::{PUBLIC_BUCKET}/{prefix}*"
                                for prefix in PUBLIC_PREFIXES
                            ],
                        }
                    ],
                }
            ),
        )
        yield server
    finally:
        _stop(server.process)


@dataclass
class LocalFolders:
    """A process's own folders, which must stay empty of files on S3."""

    root: Path

    @property
    def media_root(self) -> Path:
        return self.root / "media"

    @property
    def private_root(self) -> Path:
        return self.root / "private"

    @property
    def var_dir(self) -> Path:
        return self.root / "var"

    def make(self) -> LocalFolders:
        for folder in (self.media_root, self.private_root, self.var_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self

    def files(self) -> list[Path]:
        return sorted(
            path
            for folder in (self.media_root, self.private_root, self.var_dir)
            for path in folder.rglob("*")
            if path.is_file()
        )


@pytest.fixture
def s3_storage(s3_server, settings, monkeypatch, tmp_path) -> LocalFolders:
    """This process (the web side) on the S3 buckets, as the environment
    would set it up, with empty local folders of its own."""
    from relais.settings.storage import file_storages

    web = LocalFolders(tmp_path / "web").make()
    s3_server.empty_buckets()
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    settings.MEDIA_ROOT = str(web.media_root)
    settings.PRIVATE_MEDIA_ROOT = str(web.private_root)
    settings.VAR_DIR = web.var_dir
    # Assigning STORAGES drops Django's storage instances (setting_changed).
    settings.STORAGES = {
        **settings.STORAGES,
        **file_storages(private_root=web.private_root),
    }
    return web


@pytest.fixture
def s3_worker(
    s3_storage,
    s3_server,
    transactional_db,
    django_db_serialized_rollback,
    redis_url,
    tmp_path,
):
    """A real `celery worker` process on Redis, the shared test database and
    the S3 buckets, with empty local folders of its own (not the web's)."""
    require_services(postgres=True, redis=True)
    from tests.workers import Worker, running

    folders = LocalFolders(tmp_path / "worker").make()
    queue = f"relais-test-{os.getpid()}-{tmp_path.name}"
    worker = Worker(
        workdir=folders.root,
        queue=queue,
        redis_url=redis_url,
        extra_env={**s3_server.env(), "RELAIS_VAR_DIR": str(folders.var_dir)},
    )
    assert worker.private_root == folders.private_root
    assert worker.media_root == folders.media_root
    with running(worker):
        yield worker
