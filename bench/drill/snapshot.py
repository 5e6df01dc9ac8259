"""For the restore drill (restore.py), run through django_side.py once
Django is set up: the counts, and per certificate its SHA-256 as recorded
(and, with `files`, as stored) and what its public verification URL
answers; compared before the dump and after the restore."""

from __future__ import annotations

import hashlib
import re
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files.storage import storages
from django.test import Client

NONCE = re.compile(rb'(nonce|value|content)="[^"]*"')


def log(message: str) -> None:
    print(f"[drill:django] {message}", flush=True)


def stored_sha256(name: str) -> str | None:
    """The SHA-256 of a private file as stored, None if it cannot be read."""
    try:
        with storages["private"].open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
        return None


def verification_answer(client: Client, code: str, n: int) -> dict:
    """What the public verification URL answers, without what changes per
    response (CSP nonce, CSRF token): status and a digest of the body. Each
    request from its own forwarded address: the page is rate limited per
    client, and the snapshot asks once for every certificate."""
    response = client.get(
        f"/en/certificates/verify/{code}/",
        HTTP_X_FORWARDED_FOR=f"10.{100 + n // 65025}.{n // 255 % 255}.{n % 255 + 1}",
    )
    body = NONCE.sub(rb'\1=""', response.content)
    return {"status": response.status_code, "digest": hashlib.sha256(body).hexdigest()}


def snapshot(files: bool) -> dict:
    from certificates.models import Certificate
    from enrolment.models import Enrolment, LessonProgress

    started = time.monotonic()
    rows = list(
        Certificate.objects.order_by("pk").values_list(
            "code", "status", "pdf", "sha256"
        )
    )
    # The stored files' digests, eight reads at a time (object storage answers
    # slowly one by one); the verification pages one after the other.
    names = [name if files else "" for _code, _status, name, _sha in rows]
    with ThreadPoolExecutor(8) as pool:
        stored = list(pool.map(lambda n: stored_sha256(n) if n else None, names))
    read = time.monotonic() - started
    client = Client(HTTP_HOST="127.0.0.1")
    certificates = [
        {
            "code": code,
            "status": status,
            "sha256": sha,
            "stored_sha256": stored[n],
            "verify": verification_answer(client, code, n),
        }
        for n, (code, status, _name, sha) in enumerate(rows)
    ]
    log(
        f"snapshot of {settings.DATABASES['default']['NAME']}: {len(rows)} PDFs "
        f"read in {read:.1f}s, verification pages in "
        f"{time.monotonic() - started - read:.1f}s"
    )
    return {
        "database": settings.DATABASES["default"]["NAME"],
        "private_backend": settings.STORAGES["private"]["BACKEND"],
        "counts": {
            "enrolments": Enrolment.objects.count(),
            "progress": LessonProgress.objects.count(),
            "certificates": len(certificates),
            "issued": sum(c["status"] == "issued" for c in certificates),
        },
        "certificates": certificates,
    }
