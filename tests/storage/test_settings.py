"""STORAGES from the environment (relais/settings/storage.py): two folders by
default, two S3 buckets when S3_PRIVATE_BUCKET is set, and a clear refusal
of a half-made configuration."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from relais.settings.storage import S3_BACKEND, file_storages
from tests.platform.test_foundation import PRODUCTION_ENV, run_manage

S3_VARIABLES = (
    "S3_PRIVATE_BUCKET",
    "S3_PUBLIC_BUCKET",
    "S3_ENDPOINT_URL",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_PRESIGNED_SECONDS",
    "S3_PUBLIC_URL",
)
S3_ENV = {
    "S3_PRIVATE_BUCKET": "relais-private",
    "S3_PUBLIC_BUCKET": "relais-public",
    "S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "secret",
}
ROOT = Path("/srv/relais/private")


@pytest.fixture
def s3_env(monkeypatch):
    for name in S3_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_without_a_private_bucket_files_stay_in_the_two_folders(s3_env):
    stores = file_storages(private_root=ROOT)
    assert stores["default"]["BACKEND"].endswith("FileSystemStorage")
    assert stores["private"]["BACKEND"].endswith("FileSystemStorage")
    assert stores["private"]["OPTIONS"] == {"location": str(ROOT), "base_url": None}


def test_a_private_bucket_signs_every_url_and_sends_no_public_acl(s3_env):
    s3_env(**S3_ENV)
    private = file_storages(private_root=ROOT)["private"]
    assert private["BACKEND"] == S3_BACKEND
    options = private["OPTIONS"]
    assert options["bucket_name"] == "relais-private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 300
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "us-east-1"


def test_the_public_bucket_gives_plain_urls(s3_env):
    s3_env(**S3_ENV, S3_PUBLIC_URL="https://files.example.org/media/")
    public = file_storages(private_root=ROOT)["default"]
    assert public["BACKEND"] == S3_BACKEND
    assert public["OPTIONS"]["bucket_name"] == "relais-public"
    assert public["OPTIONS"]["querystring_auth"] is False
    assert public["OPTIONS"]["custom_domain"] == "files.example.org/media"
    assert public["OPTIONS"]["url_protocol"] == "https:"


def test_without_a_public_bucket_public_files_stay_in_media_root(s3_env):
    s3_env(**{**S3_ENV, "S3_PUBLIC_BUCKET": ""}, S3_PRESIGNED_SECONDS="60")
    stores = file_storages(private_root=ROOT)
    assert stores["default"]["BACKEND"].endswith("FileSystemStorage")
    assert stores["private"]["OPTIONS"]["querystring_expire"] == 60


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"S3_PRIVATE_BUCKET": ""}, "S3_PUBLIC_BUCKET is set but S3_PRIVATE_BUCKET"),
        ({"S3_PUBLIC_BUCKET": "relais-private"}, "name the same bucket"),
        ({"S3_SECRET_ACCESS_KEY": ""}, "S3_SECRET_ACCESS_KEY is not set"),
        ({"S3_ACCESS_KEY_ID": ""}, "S3_ACCESS_KEY_ID is not set"),
        ({"S3_ENDPOINT_URL": "s3:9000"}, "S3_ENDPOINT_URL='s3:9000'"),
        ({"S3_PRESIGNED_SECONDS": "0"}, "S3_PRESIGNED_SECONDS=0 must be"),
        ({"S3_PUBLIC_URL": "files.example.org"}, "S3_PUBLIC_URL='files"),
    ],
)
def test_a_half_made_s3_configuration_is_refused_by_name(s3_env, changes, message):
    s3_env(**{**S3_ENV, **changes})
    with pytest.raises(ImproperlyConfigured, match=message):
        file_storages(private_root=ROOT)


def test_production_refuses_a_private_bucket_without_its_keys():
    env = {**PRODUCTION_ENV, "S3_PRIVATE_BUCKET": "relais-private"}
    result = run_manage("check", env_extra=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are not" in result.stderr


def test_production_with_both_buckets_passes_check_deploy():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={**PRODUCTION_ENV, **S3_ENV},
    )
    assert result.returncode == 0, result.stdout + result.stderr
