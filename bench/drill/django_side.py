"""The Django side of `make drill`, run in its own process
(`python -m bench.drill.django_side`) with the drill's settings and
database. Subcommands, each writing JSON:

  storage OUT        which storage backend the private files use (S3 or folders)
  settle OUT         queue the render of every pending certificate (the demo's),
                     so that the workers issue them before the measurements
  prepare OUT        the drill course (3 lessons, certificates on), the load
                     accounts with a signed-in session each, one account with
                     a password for the sign-in checks, the paths to load
  drain OUT T0       wait (bounded, a condition) until every completion of the
                     drill course has its issued certificate, then for their
                     mails; the figures and the "exactly one" checks
  snapshot OUT [files]  for the restore drill: counts, and per certificate
                     its SHA-256 as recorded (and with "files" as stored), and
                     what its public verification URL answers
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings.drill")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.files.storage import storages  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, F, Max, Q  # noqa: E402
from django.test import Client  # noqa: E402

COURSE_SLUG = "drill-course"
LESSONS = 3
PASSWORD = "drill-relais-password"
SIGN_IN_EMAIL = "drill-sign-in@relais.local"
NONCE = re.compile(rb'(nonce|value|content)="[^"]*"')


def log(message: str) -> None:
    print(f"[drill:django] {message}", flush=True)


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


@transaction.atomic
def drill_course():
    """A short course with certificates on: three lessons, no quiz, so that a
    participant completes it in four requests (one page, three marks)."""
    from wagtail.models import Locale

    from courses.models import CourseIndexPage, CoursePage, LessonPage, ModulePage

    course = CoursePage.objects.filter(slug=COURSE_SLUG).first()
    if course is None:
        locale = Locale.objects.get(language_code="en")
        index = CourseIndexPage.objects.filter(locale=locale).first()
        if index is None:
            raise SystemExit("no catalogue page: run setup_site and load_demo first")
        course = index.add_child(
            instance=CoursePage(
                title="Drill course: handing on the baton",
                slug=COURSE_SLUG,
                summary="A three-lesson course the several-hosts drill completes.",
                locale=locale,
                require_quiz_pass=False,
                certificate_enabled=True,
            )
        )
        module = course.add_child(
            instance=ModulePage(title="Module 1", slug="module-1", locale=locale)
        )
        for n in range(1, LESSONS + 1):
            module.add_child(
                instance=LessonPage(
                    title=f"Lesson {n}",
                    slug=f"lesson-{n}",
                    locale=locale,
                    body=[("rich_text", f"<p>Lesson {n} of the drill.</p>")],
                )
            )
    return course


def accounts(prefix: str, n: int, course) -> list:
    """`n` participants enrolled in `course` through the enrolment service
    (the one path every enrolment takes), with one shared password hash."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from enrolment.models import Enrolment
    from enrolment.services import enrolment_create

    emails = [f"{prefix}-{i:04d}@drill.relais.local" for i in range(n)]
    existing = set(
        User.objects.filter(email__in=emails).values_list("email", flat=True)
    )
    password = make_password(PASSWORD)
    User.objects.bulk_create(
        [
            User(email=email, password=password, first_name="Drill", last_name=email)
            for email in emails
            if email not in existing
        ]
    )
    users = list(User.objects.filter(email__in=emails).order_by("email"))
    EmailAddress.objects.bulk_create(
        [
            EmailAddress(user=u, email=u.email, verified=True, primary=True)
            for u in users
        ],
        ignore_conflicts=True,
    )
    enrolled = set(
        Enrolment.objects.filter(course=course, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    for user in users:
        if user.pk not in enrolled:
            with transaction.atomic():
                enrolment_create(user=user, course=course, source=Enrolment.Source.SELF)
    return users


def prepare(out: str, completers: int, readers: int) -> None:
    from bench.prepare import lessons_of, path_of, session_for

    started = time.monotonic()
    course = drill_course()
    lessons = lessons_of(course)
    pool = accounts("complete", completers, course)
    reading = accounts("read", readers, course)
    from demo.accounts import ensure_verified_user

    ensure_verified_user(email=SIGN_IN_EMAIL, password=PASSWORD, first_name="Sign-in")
    plan = {
        "catalogue": "/en/courses/",
        "course": path_of(course),
        "lessons": [{"id": lesson.pk, "path": path_of(lesson)} for lesson in lessons],
        "completers": [session_for(u) for u in pool],
        "readers": [session_for(u) for u in reading],
        "sign_in": {"email": SIGN_IN_EMAIL, "password": PASSWORD},
        "dashboard": "/en/dashboard/",
    }
    write(out, plan)
    log(
        f"course {plan['course']} ({len(lessons)} lessons), {len(pool)} completers, "
        f"{len(reading)} readers, signed in, in {time.monotonic() - started:.1f}s"
    )


# --- drain ------------------------------------------------------------------


def _course_certificates():
    from certificates.models import Certificate

    return Certificate.objects.filter(enrolment__course__slug=COURSE_SLUG)


def _completed():
    from enrolment.models import Enrolment

    return Enrolment.objects.filter(
        course__slug=COURSE_SLUG, status=Enrolment.Status.COMPLETED
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


def stored_sha256(name: str) -> str | None:
    try:
        with storages["private"].open(name, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()
    except (OSError, ValueError):
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
            # Claimed by a worker that was killed before it sent the mail: the
            # sweep sends it once the claim is STALE_EMAIL (5 min) old.
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


# --- snapshot (restore drill) ----------------------------------------------


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


def snapshot(out: str, files: bool) -> None:
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
    write(
        out,
        {
            "database": settings.DATABASES["default"]["NAME"],
            "private_backend": settings.STORAGES["private"]["BACKEND"],
            "counts": {
                "enrolments": Enrolment.objects.count(),
                "progress": LessonProgress.objects.count(),
                "certificates": len(certificates),
                "issued": sum(c["status"] == "issued" for c in certificates),
            },
            "certificates": certificates,
        },
    )


def main() -> None:
    command, out, *rest = sys.argv[1:]
    if command == "storage":
        storage(out)
    elif command == "settle":
        settle(out)
    elif command == "prepare":
        prepare(out, completers=int(rest[0]), readers=int(rest[1]))
    elif command == "drain":
        drain(out, issue_timeout=float(rest[0]), mail_timeout=float(rest[1]))
    elif command == "snapshot":
        snapshot(out, files=rest[:1] == ["files"])
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()
