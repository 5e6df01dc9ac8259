"""The Django side of `make drill`, run in its own process
(`python -m bench.drill.django_side`) with the drill's settings and
database. Subcommands, each writing JSON:

  storage OUT        which storage backend the private files use (S3 or folders)
  seed OUT N M       the drill's content (seed.py): the course, its image, a
                     trainer and cohort, participants, N completers and M
                     readers; what the template database keeps
  settle OUT         queue the render of every pending certificate (the
                     seed's), so that the workers issue them before the
                     measurements
  prepare OUT N M    a signed-in session for each of N completers and M
                     readers, the account for the sign-in checks, the paths
                     to load (the image's included)
  drain OUT T0       wait (bounded, a condition) until every completion of the
                     drill course has its issued certificate, then for their
                     mails; the figures and the "exactly one" checks
  snapshot OUT [files]  for the restore drill (snapshot.py)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.drill")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Count, F, Max, Q  # noqa: E402

from bench.drill import seed as content  # noqa: E402
from bench.drill.snapshot import log, snapshot, stored_sha256  # noqa: E402

COURSE_SLUG = content.COURSE_SLUG


def write(path: str, data: dict) -> None:
    Path(path).write_text(json.dumps(data, indent=1, default=str))


# --- storage ----------------------------------------------------------------


def storage(out: str) -> None:
    backend = settings.STORAGES["private"]["BACKEND"]
    write(out, {"private_backend": backend, "s3": "s3" in backend.lower()})


def settle(out: str) -> None:
    from certificates.models import Certificate
    from certificates.services.base import queue_render

    pending = list(
        Certificate.objects.filter(status=Certificate.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    queued = sum(queue_render(pk) for pk in pending)
    write(out, {"pending": len(pending), "queued": queued})


# --- prepare ----------------------------------------------------------------


def prepare(out: str, completers: int, readers: int) -> None:
    from bench.prepare import lessons_of, path_of, session_for

    started = time.monotonic()
    # Made by the seed and kept in the template: found again here.
    course = content.course_ensure()
    lessons = lessons_of(course)
    pool = content.accounts(content.COMPLETE_PREFIX, completers, course)
    reading = content.accounts(content.READ_PREFIX, readers, course)
    plan = {
        "catalogue": "/en/courses/",
        "course": path_of(course),
        "lessons": [{"id": lesson.pk, "path": path_of(lesson)} for lesson in lessons],
        "completers": [session_for(u) for u in pool],
        "readers": [session_for(u) for u in reading],
        "sign_in": {"email": content.SIGN_IN_EMAIL, "password": content.PASSWORD},
        "dashboard": "/en/dashboard/",
    }
    write(out, plan)
    log(
        f"course {plan['course']} ({len(lessons)} lessons), {len(pool)} completers, "
        f"{len(reading)} readers, signed in, in {time.monotonic() - started:.1f}s"
    )


# --- drain ------------------------------------------------------------------


# The completions made under the kills: the load's completers' (the seeded
# participants' certificates were rendered before the measurements).
MADE_UNDER_LOAD = {"course__slug": COURSE_SLUG, "user__email__startswith": "complete-"}


def _course_certificates():
    from certificates.models import Certificate

    return Certificate.objects.filter(
        **{f"enrolment__{k}": v for k, v in MADE_UNDER_LOAD.items()}
    )


def _completed():
    from enrolment.models import Enrolment

    return Enrolment.objects.filter(
        **MADE_UNDER_LOAD, status=Enrolment.Status.COMPLETED
    )


def _issued_all() -> bool:
    from certificates.models import Certificate

    completed = _completed().count()
    issued = _course_certificates().filter(status=Certificate.Status.ISSUED).count()
    waiting = _completed().filter(
        Q(certificate__isnull=True)
        | Q(
            certificate__status__in=[
                Certificate.Status.PENDING,
                Certificate.Status.RENDERING,
            ]
        )
    )
    return completed == issued and not waiting.exists()


def _mailed_all() -> bool:
    return not _course_certificates().filter(emailed_at__isnull=True).exists()


def wait_until(condition, timeout: float) -> float | None:
    """Seconds until `condition()` held, polling every 0.5 s; None if it did
    not within `timeout`."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def drain(out: str, issue_timeout: float, mail_timeout: float) -> None:
    from certificates.models import Certificate, CertificateEvent

    issued_after = wait_until(_issued_all, issue_timeout)
    mailed_after = (
        wait_until(_mailed_all, mail_timeout) if issued_after is not None else None
    )
    completed = _completed().count()
    certificates = _course_certificates()
    by_status = dict(
        certificates.values_list("status").annotate(n=Count("id")).order_by()
    )
    issued_events = dict(
        CertificateEvent.objects.filter(certificate__in=certificates, action="issued")
        .values_list("certificate_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    issued = list(
        certificates.filter(status=Certificate.Status.ISSUED).values_list(
            "pk", "pdf", "sha256"
        )
    )
    bad_files = [pk for pk, name, sha in issued if stored_sha256(name) != sha]
    write(
        out,
        {
            "issued_within_timeout": issued_after is not None,
            "seconds_to_issue_all": issued_after,
            "seconds_to_mail_all": mailed_after,
            "completions": completed,
            "certificates": certificates.count(),
            "by_status": by_status,
            "completions_without_certificate": _completed()
            .filter(certificate__isnull=True)
            .count(),
            "issued_events": sum(issued_events.values()),
            "issued_more_than_once": sorted(
                pk for pk, n in issued_events.items() if n > 1
            ),
            "issued_never": [
                pk for pk, _name, _sha in issued if pk not in issued_events
            ],
            "pdf_sha256_mismatch": bad_files,
            "emailed": certificates.filter(emailed_at__isnull=False).count(),
            # Claimed by a worker that was killed before it sent the mail and
            # still not sent: the sweep sends it once the claim is stale
            # (RELAIS_CERTIFICATE_EMAIL_STALE_SECONDS, 30 s in the drill).
            "email_claimed_unsent": certificates.filter(
                emailed_at__isnull=True, email_claimed_at__isnull=False
            ).count(),
            "last_issued_at": certificates.aggregate(Max("issued_at"))[
                "issued_at__max"
            ],
            "last_issued_ts": (
                certificates.aggregate(Max("issued_at"))["issued_at__max"].timestamp()
                if issued
                else None
            ),
            # Certificates that took long from the completion to the issue,
            # with both times: those whose task was never queued (the web host
            # died between the commit and the publish) wait for the sweep.
            "slow": [
                {
                    "pk": pk,
                    "created_ts": created.timestamp(),
                    "waited_s": round((issued_at - created).total_seconds(), 1),
                }
                for pk, created, issued_at in certificates.filter(
                    issued_at__gt=F("created_at") + dt.timedelta(seconds=20)
                ).values_list("pk", "created_at", "issued_at")
            ],
            "claimed_by": sorted(
                set(certificates.values_list("claimed_by", flat=True)) - {""}
            )[:20],
        },
    )


def main() -> None:
    command, out, *rest = sys.argv[1:]
    if command == "storage":
        storage(out)
    elif command == "settle":
        settle(out)
    elif command == "seed":
        write(out, content.seed(completers=int(rest[0]), readers=int(rest[1])))
    elif command == "prepare":
        prepare(out, completers=int(rest[0]), readers=int(rest[1]))
    elif command == "drain":
        drain(out, issue_timeout=float(rest[0]), mail_timeout=float(rest[1]))
    elif command == "snapshot":
        write(out, snapshot(files=rest[:1] == ["files"]))
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
