"""Rendering: claim, render, store, issue.

A render is claimed with a conditional UPDATE (pending, or rendering with a
stale claim, becomes rendering with our claim time), so that a task
delivered twice renders once; the outcome is written only where our claim
still holds, with its event, in one transaction. The function that draws
the PDF is the RELAIS_CERTIFICATE_RENDERER setting.

A claim names its delivery (the task id) and its process (host:pid). A
worker that dies mid-render (a pool child killed, out of memory) gets its
message back from Celery at once (`task_reject_on_worker_lost`); that
redelivery finds its own delivery's claim, sees that the process holding it
is gone, and takes it over without waiting for STALE_RENDER, which stays the
last resort (a whole worker killed: its message comes back only after the
broker's visibility timeout, the sweep's new task finds the claim stale)."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import socket
import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import Certificate
from .base import record_event, verify_url
from .facts import certificate_facts, certificate_load

logger = logging.getLogger("certificates.services")

# A render claimed longer ago than this is presumed dead (worker killed) and
# may be claimed again. A render takes milliseconds and the task's hard time
# limit is 5 minutes (CELERY_TASK_TIME_LIMIT), so a live claim is never taken.
STALE_RENDER = timedelta(minutes=5)


def claim_owner() -> str:
    """This process, as a render claim names it."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _owner_running(owner: str) -> bool:
    """True if `owner` (host:pid) is another process of this host that still
    runs. A process of another host cannot be seen from here: False, and the
    redelivery that asks is the evidence that it is gone."""
    host, _sep, pid = owner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():  # this process runs one task at a time
        return False
    try:
        os.kill(int(pid), 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _lost_claim(*, certificate_id: int, delivery: str) -> Q | None:
    """The render claim that this redelivered task's own earlier delivery
    holds, if the process holding it is gone; None otherwise. Returned as
    the exact claim (its owner and time), so that of two takeovers at once
    only one UPDATE matches."""
    held = (
        Certificate.objects.filter(
            pk=certificate_id,
            status=Certificate.Status.RENDERING,
            claim_delivery=delivery,
        )
        .values_list("claimed_by", "claimed_at")
        .first()
    )
    if held is None:
        return None
    owner, claimed_at = held
    if _owner_running(owner):
        return None
    logger.info(
        "Certificate %s: taking over the render claim of %s (delivery %s, gone)",
        certificate_id,
        owner,
        delivery,
    )
    return Q(
        status=Certificate.Status.RENDERING,
        claim_delivery=delivery,
        claimed_by=owner,
        claimed_at=claimed_at,
    )


def renderer():
    """The function that draws a certificate's PDF (see rendering.render_pdf
    for its signature)."""
    return import_string(settings.RELAIS_CERTIFICATE_RENDERER)


def pdf_name(*, certificate: Certificate, first: bool) -> str:
    """certificates/<code>.pdf for the first issue, -v2, -v3... after."""
    if first:
        return f"certificates/{certificate.code}.pdf"
    versions = certificate.events.filter(action__in=["issued", "reissued"]).count()
    suffix = f"-v{versions + 1}" if versions else ""
    return f"certificates/{certificate.code}{suffix}.pdf"


_made_dirs: set[str] = set()


def store_pdf(*, name: str, content: bytes) -> str:
    """Write through the private storage so that the final name never holds
    a half-written file: on a filesystem, write a temporary file, fsync it,
    then rename it over the final name (atomic on POSIX); object stores (S3)
    write a key atomically anyway. The directory is made once per process."""
    storage = storages["private"]
    try:
        final_path = storage.path(name)
    except NotImplementedError:  # an object store: no local path
        # Free the name first (a render retried after a failed store): the
        # store keeps two uploads of one name apart (settings/storage.py),
        # and this PDF must land under `name` itself.
        storage.delete(name)
        return storage.save(name, ContentFile(content))
    directory = os.path.dirname(final_path)
    if directory not in _made_dirs:
        os.makedirs(directory, exist_ok=True)
        _made_dirs.add(directory)
    try:
        fd, tmp_path = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=directory)
    except FileNotFoundError:  # the directory was removed since
        _made_dirs.discard(directory)
        os.makedirs(directory, exist_ok=True)
        fd, tmp_path = tempfile.mkstemp(prefix=".tmp-", suffix=".pdf", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fchmod(handle.fileno(), 0o640)
            os.fsync(handle.fileno())
        os.replace(tmp_path, final_path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_path)
        raise
    return name


def render_and_store(
    *, certificate: Certificate, facts: dict, first: bool
) -> tuple[str, str]:
    """Draw the PDF of `facts` and store it; returns its name and SHA-256."""
    content = renderer()(
        facts=facts,
        code=certificate.code,
        language=certificate.language,
        verify_url=verify_url(code=certificate.code, language=certificate.language),
    )
    name = store_pdf(
        name=pdf_name(certificate=certificate, first=first), content=content
    )
    return name, hashlib.sha256(content).hexdigest()


def certificate_claim_render(
    *, certificate_id: int, now, delivery: str = "", redelivered: bool = False
) -> bool:
    """Claim a pending certificate (or one whose render claim is stale) for
    rendering, stamped `now`, in the name of `delivery` (the task id; "" when
    no task runs it) and this process. A `redelivered` delivery may also take
    over its own earlier claim whose process is gone. False if it was not
    claimable."""
    claimable = Q(status=Certificate.Status.PENDING) | Q(
        status=Certificate.Status.RENDERING, claimed_at__lt=now - STALE_RENDER
    )
    if delivery and redelivered:
        lost = _lost_claim(certificate_id=certificate_id, delivery=delivery)
        if lost is not None:
            claimable |= lost
    return bool(
        Certificate.objects.filter(claimable, pk=certificate_id).update(
            status=Certificate.Status.RENDERING,
            claimed_at=now,
            claim_delivery=delivery,
            claimed_by=claim_owner(),
            attempts=F("attempts") + 1,
        )
    )


def certificate_render(
    *, certificate_id: int, delivery: str = "", redelivered: bool = False
) -> Certificate | None:
    """Claim, render, store and issue. Returns the certificate if this call
    issued it, None if there was nothing to do (already issued, revoked,
    being rendered by someone else, or gone). `delivery` and `redelivered`
    say which task delivery runs it (see certificate_claim_render)."""
    now = timezone.now()
    if not certificate_claim_render(
        certificate_id=certificate_id,
        now=now,
        delivery=delivery,
        redelivered=redelivered,
    ):
        return None
    mine = Certificate.objects.filter(
        pk=certificate_id, status=Certificate.Status.RENDERING, claimed_at=now
    )
    certificate = certificate_load(certificate_id=certificate_id)
    try:
        # Facts already frozen (a render retried after a failed store) stay.
        facts = certificate.facts or certificate_facts(certificate=certificate)
        name, digest = render_and_store(
            certificate=certificate, facts=facts, first=not certificate.issued_at
        )
    except Exception as exc:
        mine.update(status=Certificate.Status.PENDING, last_error=repr(exc)[:2000])
        raise
    issued = {
        "status": Certificate.Status.ISSUED,
        "facts": facts,
        "pdf": name,
        "sha256": digest,
        "issued_at": timezone.now(),
        "last_error": "",
    }
    with transaction.atomic():
        if not mine.update(**issued):
            return None  # our claim was taken over as stale; the other render wins
        record_event(
            certificate_id=certificate_id,
            action="issued",
            sha256=digest,
            pdf_name=name,
        )
    for field, value in issued.items():
        setattr(certificate, field, value)
    return certificate
