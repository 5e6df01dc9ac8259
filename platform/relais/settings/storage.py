"""Where files live (docs/storage.md): two local folders by default (`make
run`, one host), or two buckets of S3-compatible object storage when
S3_PRIVATE_BUCKET is set, so that every web and worker host sees the same
files.

- "default", the public store: Wagtail images and documents. On S3 when
  S3_PUBLIC_BUCKET is set, with plain URLs (no signature); otherwise in
  MEDIA_ROOT.
- "private": certificate PDFs, cohort ZIPs, exports, enrolment import
  uploads. Never readable without Relais's own credentials: objects are
  written with no ACL (private to the bucket's owner) and leave Relais only
  through views that check who asks (relais/files.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from relais.env import env_int, env_str

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
# SigV4 signatures are valid for at most seven days.
MAX_PRESIGNED_SECONDS = 7 * 24 * 3600
# A private file read from the bucket is held in memory up to this size and
# spills to a temporary file beyond (a cohort's ZIP), never into MEDIA_ROOT.
READ_MEMORY_BYTES = 2 * 1024 * 1024


def s3_enabled() -> bool:
    return bool(env_str("S3_PRIVATE_BUCKET"))


def _s3_connection() -> dict[str, Any]:
    access_key = env_str("S3_ACCESS_KEY_ID") or None
    secret_key = env_str("S3_SECRET_ACCESS_KEY") or None
    if bool(access_key) != bool(secret_key):
        missing = "S3_SECRET_ACCESS_KEY" if access_key else "S3_ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"The environment variable {missing} is not set: object storage "
            "needs both S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY."
        )
    endpoint = env_str("S3_ENDPOINT_URL") or None
    if endpoint and urlsplit(endpoint).scheme not in {"http", "https"}:
        raise ImproperlyConfigured(
            f"The environment variable S3_ENDPOINT_URL={endpoint!r} is not an "
            "http(s):// address. Leave it empty for AWS; e.g. http://s3:9000."
        )
    return {
        "access_key": access_key,
        "secret_key": secret_key,
        "endpoint_url": endpoint,
        "region_name": env_str("S3_REGION") or "us-east-1",
        "signature_version": "s3v4",
        # No ACL is sent with an upload: buckets with ACLs disabled (the AWS
        # default since 2023) refuse any but bucket-owner-full-control, and
        # an object without one is private to the bucket's owner. Public
        # reading is the public bucket's policy (docs/storage.md).
        "default_acl": None,
        # Two uploads of one name (two editors' photo.jpg, two imports) keep
        # both, as FileSystemStorage does; a certificate's PDF replaces its
        # own name explicitly (certificates/services/render.py).
        "file_overwrite": False,
    }


def _public_url_options() -> dict[str, Any]:
    """S3_PUBLIC_URL: where browsers reach the public bucket when it is not
    at S3_ENDPOINT_URL/<bucket>/ (a CDN, or the proxy's /media/)."""
    raw = env_str("S3_PUBLIC_URL")
    if not raw:
        return {}
    parts = urlsplit(raw.rstrip("/"))
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ImproperlyConfigured(
            f"The environment variable S3_PUBLIC_URL={raw!r} is not an http(s):// "
            "address (e.g. https://files.example.org or https://example.org/media)."
        )
    return {
        "custom_domain": parts.netloc + parts.path,
        "url_protocol": f"{parts.scheme}:",
    }


def file_storages(*, private_root: Path) -> dict[str, dict[str, Any]]:
    """The "default" (public) and "private" entries of STORAGES."""
    private_bucket = env_str("S3_PRIVATE_BUCKET") or None
    public_bucket = env_str("S3_PUBLIC_BUCKET") or None
    local_public = {"BACKEND": LOCAL_BACKEND}  # MEDIA_ROOT, MEDIA_URL
    if not private_bucket:
        if public_bucket:
            raise ImproperlyConfigured(
                "The environment variable S3_PUBLIC_BUCKET is set but "
                "S3_PRIVATE_BUCKET is not: object storage is switched on by "
                "S3_PRIVATE_BUCKET (certificates, exports), set it too."
            )
        return {
            "default": local_public,
            "private": {
                "BACKEND": LOCAL_BACKEND,
                "OPTIONS": {"location": str(private_root), "base_url": None},
            },
        }
    if public_bucket == private_bucket:
        raise ImproperlyConfigured(
            "S3_PUBLIC_BUCKET and S3_PRIVATE_BUCKET name the same bucket: "
            "private files (certificates, exports) need a bucket of their own."
        )
    seconds = env_int("S3_PRESIGNED_SECONDS", 300)
    if not 1 <= seconds <= MAX_PRESIGNED_SECONDS:
        raise ImproperlyConfigured(
            f"The environment variable S3_PRESIGNED_SECONDS={seconds} must be "
            f"between 1 and {MAX_PRESIGNED_SECONDS} (seven days)."
        )
    connection = _s3_connection()
    private: dict[str, Any] = {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            **connection,
            "bucket_name": private_bucket,
            # Any URL of a private object is signed and short-lived (Relais
            # itself streams downloads and makes none: docs/storage.md).
            "querystring_auth": True,
            "querystring_expire": seconds,
            "max_memory_size": READ_MEMORY_BYTES,
        },
    }
    public: dict[str, Any] = local_public
    if public_bucket:
        public = {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **connection,
                "bucket_name": public_bucket,
                # Plain, cacheable URLs: images are public.
                "querystring_auth": False,
                **_public_url_options(),
            },
        }
    return {"default": public, "private": private}


def check_production_storage() -> None:
    """Production refuses object storage it could not sign in to."""
    if not s3_enabled():
        return
    missing = [
        name
        for name in ("S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
        if not env_str(name)
    ]
    if missing:
        raise ImproperlyConfigured(
            f"S3_PRIVATE_BUCKET is set but {' and '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not: production needs the "
            "object store's access key and secret (see .env.example)."
        )
