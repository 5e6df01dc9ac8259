"""Certificate services: request, render, email, revoke, reissue, and the
admin's long jobs (regenerate a course, ZIP a cohort).

A certificate is requested once per enrolment (the one-to-one constraint
decides races); rendering is claimed with a conditional UPDATE so that a
task delivered twice renders once; the facts printed are frozen at the first
issue and only a reissue (an explicit act) refreshes them. Nothing here knows
about retries: the tasks do."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import tempfile
import zipfile
from datetime import timedelta
from types import SimpleNamespace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .codes import generate_code
from .models import Certificate, CertificateEvent, CertificateJob
from .rendering import render_pdf

logger = logging.getLogger(__name__)

# A render claimed longer ago than this is presumed dead (worker killed) and
# may be claimed again. Longer than the task time limit would be safer, but
# a render takes milliseconds; 5 minutes leaves a wide margin.
STALE_RENDER = timedelta(minutes=5)
# A pending certificate older than this was probably never queued (broker down).
STALE_PENDING = timedelta(minutes=2)
# An email claimed longer ago than this and still not marked sent is presumed
# lost with its worker (SMTP gives up after EMAIL_TIMEOUT, 20 s); it may be
# claimed and sent again.
STALE_EMAIL = timedelta(minutes=5)
JOB_CHUNK = 50
ISSUER = "Relais"


# --- helpers ---------------------------------------------------------------


def verify_url(*, code: str, language: str) -> str:
    return f"{settings.SITE_URL}/{language}/certificates/verify/{code}/"


def _event(certificate: Certificate, action: str, *, actor=None, **fields) -> None:
    CertificateEvent.objects.create(
        certificate=certificate,
        action=action,
        actor=actor,
        created_at=timezone.now(),
        **fields,
    )


def _update_with_event(
    *, pk: int, where: dict, values: dict, action: str, **event
) -> bool:
    """UPDATE the certificate `pk` where its columns equal `where`, and if a
    row changed record the event, atomically. True if it changed. On
    PostgreSQL this is one statement (a data-modifying WITH): one round trip
    instead of BEGIN, UPDATE, INSERT, COMMIT, on the worker's hot path."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        with transaction.atomic():
            if not Certificate.objects.filter(pk=pk, **where).update(**values):
                return False
            CertificateEvent.objects.create(
                certificate_id=pk, action=action, created_at=now, **event
            )
        return True
    qn = connection.ops.quote_name
    columns = {f.name: f for f in Certificate._meta.concrete_fields if f.name in values}

    def column_value(name, value):
        field = columns[name]
        if field.get_internal_type() == "JSONField":
            return "%s::jsonb", json.dumps(value)
        return "%s", field.get_db_prep_save(value, connection)

    sets, params = [], []
    for name, value in values.items():
        placeholder, param = column_value(name, value)
        sets.append(f"{qn(columns[name].column)} = {placeholder}")
        params.append(param)
    conditions = [f"{qn('id')} = %s"]
    params.append(pk)
    for name, value in where.items():
        field = Certificate._meta.get_field(name)
        conditions.append(f"{qn(field.column)} = %s")  # type: ignore[arg-type, union-attr]
        params.append(field.get_db_prep_save(value, connection))  # type: ignore[union-attr]
    event_fields: dict[str, object] = {
        "action": action,
        "detail": "",
        "sha256": "",
        "pdf_name": "",
    }
    event_fields.update(event)
    event_fields["created_at"] = now
    event_columns = ", ".join(
        qn(CertificateEvent._meta.get_field(name).column)  # type: ignore[arg-type, union-attr]
        for name in event_fields
    )
    event_values = ", ".join(["%s"] * len(event_fields))
    params += [
        CertificateEvent._meta.get_field(name).get_db_prep_save(value, connection)  # type: ignore[union-attr]
        for name, value in event_fields.items()
    ]
    # Only column and table names from the models are formatted in; every
    # value is a parameter.
    table = qn(Certificate._meta.db_table)
    event_table = qn(CertificateEvent._meta.db_table)
    sql = " ".join(
        [
            f"WITH changed AS (UPDATE {table} SET {', '.join(sets)}",  # noqa: S608
            f"WHERE {' AND '.join(conditions)} RETURNING id)",
            f"INSERT INTO {event_table} (certificate_id, {event_columns})",
            f"SELECT id, {event_values} FROM changed RETURNING certificate_id",  # noqa: S608
        ]
    )
    return _fetch_prepared(sql, params) is not None


def _fetch_prepared(sql: str, params: list, *, durable: bool = True) -> tuple | None:
    """The first row of `sql` (%s placeholders), run as a server-side
    prepared statement: PostgreSQL plans it once per connection instead of
    on every call (planning the claim's joins takes ~1 ms, running it
    ~0.1 ms). Through a psycopg cursor of Django's connection, because
    Django's own binds parameters client-side and so cannot prepare; inside
    Django's error wrapper, so errors are Django's and mark the connection
    for the after-task check. PostgreSQL only.

    durable=False commits without waiting for the WAL flush (an fsync, 1-5
    ms here): for claims only. A claim lost in a database crash leaves the
    certificate pending, so the task or the sweep claims it again; outcomes
    (issued, emailed) are committed durably, and their flush carries the
    claim's with it."""
    import psycopg

    if not durable and not connection.in_atomic_block:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
            return _fetch_prepared(sql, params)
    connection.ensure_connection()
    raw = connection.connection
    if raw.prepare_threshold is None:
        # Django turns psycopg's preparing off (prepare=True would then be
        # ignored). Its own cursors bind client-side and never prepare, so
        # this only lets the prepare=True below through.
        raw.prepare_threshold = 1_000_000
    with (
        connection.wrap_database_errors,
        psycopg.Cursor(raw) as cursor,
    ):
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchone()


def _enqueue(task, *args) -> None:
    """Publish a task; a broker outage is logged, never raised to the user.
    The periodic sweep finds whatever was not queued."""
    try:
        task.apply_async(args=list(args))
    except Exception:
        logger.exception(
            "Could not queue %s%r; the sweep will queue it again", task.name, args
        )


def _enqueue_render(certificate_id: int) -> None:
    from .tasks import render_certificate

    _enqueue(render_certificate, certificate_id)


def _enqueue_email(certificate_id: int) -> None:
    from .tasks import email_certificate

    _enqueue(email_certificate, certificate_id)


def _enqueue_job(job_id: int) -> None:
    from .tasks import run_certificate_job

    _enqueue(run_certificate_job, job_id)


def _course_in(course, language: str):
    """The course page translated into `language` if it exists (no query
    when the course is already in that language and its locale is loaded)."""
    from wagtail.models import Locale

    if course.locale.language_code == language:
        return course
    locale = Locale.objects.filter(language_code=language).first()
    if locale is None or course.locale_id == locale.pk:
        return course
    return course.get_translation_or_none(locale) or course


def certificate_language(*, user, course) -> str:
    """The participant's preferred language, else the course page's."""
    codes = {code for code, _name in settings.LANGUAGES}
    preferred = getattr(user, "preferred_language", "") if user else ""
    if preferred in codes:
        return preferred
    language = course.locale.language_code
    return language if language in codes else settings.LANGUAGE_CODE


# --- facts -----------------------------------------------------------------


def certificate_facts(*, certificate: Certificate) -> dict:
    """The facts printed on the certificate, from the current data."""
    language = certificate.language
    if certificate.kind == Certificate.Kind.ATTENDANCE:
        attendee = certificate.attendee
        session = attendee.session  # type: ignore[union-attr]
        cohort = session.cohort
        course = _course_in(cohort.course, language)
        trainer = cohort.trainer
        return {
            "kind": "attendance",
            "name": attendee.name,  # type: ignore[union-attr]
            "institution": attendee.institution,  # type: ignore[union-attr]
            "course": course.title,
            "cascade": course.title,
            "trainer": trainer.display_name if trainer else "",
            "hours": str(session.duration_hours),
            "date": session.held_on.isoformat(),
            "place": session.place,
            "cohort": cohort.name,
            "country": str(cohort.country or ""),
            "signatory": trainer.display_name if trainer else "",
            "signatory_title": "",
            "wording": "",
            "issuer": ISSUER,
        }
    enrolment = certificate.enrolment
    return _course_facts(
        user=enrolment.user,  # type: ignore[union-attr]
        course=_course_in(enrolment.course, language),  # type: ignore[union-attr]
        cohort=enrolment.cohort,  # type: ignore[union-attr]
        completed_at=enrolment.completed_at,  # type: ignore[union-attr]
    )


def _course_facts(*, user, course, cohort, completed_at) -> dict:
    """A course certificate's facts from its participant, course (in the
    certificate's language), cohort (or None) and completion time."""
    completed = completed_at or timezone.now()
    return {
        "kind": "course",
        "name": user.display_name,
        "institution": user.institution,
        "course": course.title,
        "hours": str(course.estimated_hours),
        "date": timezone.localdate(completed).isoformat(),
        "cohort": cohort.name if cohort else "",
        "country": str(user.country or (cohort.country if cohort else "") or ""),
        "signatory": course.certificate_signatory,
        "signatory_title": course.certificate_signatory_title,
        "wording": course.certificate_wording,
        "issuer": ISSUER,
    }


# --- requesting ------------------------------------------------------------


def _create_once(*, lookup: dict, fields: dict, actor=None) -> tuple[Certificate, bool]:
    existing = Certificate.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                **lookup, **fields, code=generate_code()
            )
    except IntegrityError:
        # Another request won the race; the one-to-one constraint decided.
        return Certificate.objects.get(**lookup), False
    _event(certificate, "requested", actor=actor)
    return certificate, True


def certificate_request_for_enrolment(*, enrolment) -> Certificate:
    """Get or create the enrolment's certificate; a new one is rendered by a
    worker after the commit."""
    from enrolment.models import Enrolment

    if enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(_("Only a completed enrolment earns a certificate."))
    course = enrolment.course
    certificate, created = _create_once(
        lookup={"enrolment": enrolment},
        fields={
            "kind": Certificate.Kind.COURSE,
            "user": enrolment.user,
            "language": certificate_language(user=enrolment.user, course=course),
        },
    )
    if created:
        transaction.on_commit(lambda: _enqueue_render(certificate.pk))
    return certificate


def certificate_request_for_attendee(*, attendee, requested_by) -> Certificate:
    """Get or create the attendance certificate of someone who attended a
    trainer's in-person session (they need not have an account)."""
    cohort = attendee.session.cohort
    language = cohort.language or certificate_language(user=None, course=cohort.course)
    certificate, created = _create_once(
        lookup={"attendee": attendee},
        fields={"kind": Certificate.Kind.ATTENDANCE, "language": language},
        actor=requested_by,
    )
    if created:
        transaction.on_commit(lambda: _enqueue_render(certificate.pk))
    return certificate


def on_course_completed(*, enrolment, **kwargs) -> Certificate | None:
    """Receiver of enrolment.hooks.on_course_completed."""
    if not enrolment.course.certificate_enabled:
        return None
    return certificate_request_for_enrolment(enrolment=enrolment)


# --- rendering -------------------------------------------------------------


def _col(model, name: str) -> str:
    """A model field's column, quoted (for SQL built from the models)."""
    return connection.ops.quote_name(model._meta.get_field(name).column)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _jsonb(value):
    """A jsonb column read through psycopg on Django's connection: Django
    leaves it undecoded there."""
    return json.loads(value) if isinstance(value, str) else value


@functools.cache
def _claim_sql() -> str:
    """Claim a certificate (pending, or rendering with a stale claim) and read
    what a course certificate's facts need, in one statement: the UPDATE
    returns the claimed row, joined to its enrolment, participant, course
    page, locale and cohort. Table and column names come from the models."""
    from wagtail.models import Locale, Page

    from accounts.models import User
    from courses.models import CoursePage
    from enrolment.models import Cohort, Enrolment

    col, table = _col, _table
    C = Certificate
    returned = ["id", "kind", "code", "language", "facts", "issued_at", "enrolment"]
    # Only names from the models are formatted in; every value is a parameter.
    return " ".join(
        [
            f"WITH claimed AS (UPDATE {table(C)} SET",  # noqa: S608
            f"{col(C, 'status')} = %s, {col(C, 'claimed_at')} = %s,",
            f"{col(C, 'attempts')} = {col(C, 'attempts')} + 1",
            f"WHERE {col(C, 'id')} = %s AND ({col(C, 'status')} = %s",
            f"OR ({col(C, 'status')} = %s AND {col(C, 'claimed_at')} < %s))",
            f"RETURNING {', '.join(col(C, name) for name in returned)})",
            "SELECT claimed.*,",
            f"e.{col(Enrolment, 'completed_at')},",
            ", ".join(
                f"u.{col(User, name)}"
                for name in ("first_name", "last_name", "email", "institution")
            ),
            f", u.{col(User, 'country')}, p.{col(Page, 'title')},",
            f"l.{col(Locale, 'language_code')},",
            ", ".join(
                f"cp.{col(CoursePage, name)}"
                for name in (
                    "estimated_hours",
                    "certificate_signatory",
                    "certificate_signatory_title",
                    "certificate_wording",
                )
            ),
            f", co.{col(Cohort, 'id')}, co.{col(Cohort, 'name')},",
            f"co.{col(Cohort, 'country')}",
            f"FROM claimed LEFT JOIN {table(Enrolment)} e",
            f"ON e.{col(Enrolment, 'id')} = claimed.{col(C, 'enrolment')}",
            f"LEFT JOIN {table(User)} u",
            f"ON u.{col(User, 'id')} = e.{col(Enrolment, 'user')}",
            f"LEFT JOIN {table(CoursePage)} cp",
            f"ON cp.{col(CoursePage, 'page_ptr')} = e.{col(Enrolment, 'course')}",
            f"LEFT JOIN {table(Page)} p",
            f"ON p.{col(Page, 'id')} = cp.{col(CoursePage, 'page_ptr')}",
            f"LEFT JOIN {table(Locale)} l",
            f"ON l.{col(Locale, 'id')} = p.{col(Page, 'locale')}",
            f"LEFT JOIN {table(Cohort)} co",
            f"ON co.{col(Cohort, 'id')} = e.{col(Enrolment, 'cohort')}",
        ]
    )


def _claim_and_load(certificate_id: int, now) -> tuple[Certificate, dict | None] | None:
    """Claim the certificate for rendering. None if it was not claimable;
    else the certificate (the columns a render needs) and its facts: the
    frozen ones, or a course certificate's computed from the joined rows, or
    None when they need the ORM (attendance, or a course translated into
    the certificate's language)."""
    if connection.vendor != "postgresql":
        claimed = (
            Certificate.objects.filter(pk=certificate_id)
            .filter(
                Q(status=Certificate.Status.PENDING)
                | Q(
                    status=Certificate.Status.RENDERING,
                    claimed_at__lt=now - STALE_RENDER,
                )
            )
            .update(
                status=Certificate.Status.RENDERING,
                claimed_at=now,
                attempts=F("attempts") + 1,
            )
        )
        return (_load(certificate_id), None) if claimed else None
    row = _fetch_prepared(
        _claim_sql(),
        [
            Certificate.Status.RENDERING,
            now,
            certificate_id,
            Certificate.Status.PENDING,
            Certificate.Status.RENDERING,
            now - STALE_RENDER,
        ],
        durable=False,
    )
    if row is None:
        return None
    (pk, kind, code, language, facts, issued_at, enrolment_id, completed_at) = row[:8]
    (first_name, last_name, email, institution, user_country, title) = row[8:14]
    (course_language, hours, signatory, signatory_title, wording) = row[14:19]
    (cohort_id, cohort_name, cohort_country) = row[19:22]
    facts = _jsonb(facts)
    certificate = Certificate(
        pk=pk,
        kind=kind,
        code=code,
        language=language,
        facts=facts,
        issued_at=issued_at,
        enrolment_id=enrolment_id,
        status=Certificate.Status.RENDERING,
        claimed_at=now,
    )
    if facts:
        return certificate, facts
    if kind != Certificate.Kind.COURSE or course_language != language:
        return certificate, None
    from accounts.models import User

    user = User(
        first_name=first_name,
        last_name=last_name,
        email=email,
        institution=institution,
        country=user_country,
    )
    facts = _course_facts(
        user=user,
        course=SimpleNamespace(
            title=title,
            estimated_hours=hours,
            certificate_signatory=signatory,
            certificate_signatory_title=signatory_title,
            certificate_wording=wording,
        ),
        cohort=(
            SimpleNamespace(name=cohort_name, country=cohort_country)
            if cohort_id is not None
            else None
        ),
        completed_at=completed_at,
    )
    return certificate, facts


def _load(certificate_id: int) -> Certificate:
    """The certificate and everything its facts need: one query for a course
    certificate (the common case; compiling the joins of both kinds costs
    more than it saves), a second for an attendance certificate."""
    certificate = Certificate.objects.select_related(
        "enrolment__user", "enrolment__course__locale", "enrolment__cohort"
    ).get(pk=certificate_id)
    if certificate.kind == Certificate.Kind.ATTENDANCE:
        certificate = Certificate.objects.select_related(
            "attendee__session__cohort__course__locale",
            "attendee__session__cohort__trainer",
        ).get(pk=certificate_id)
    return certificate


def _pdf_name(certificate: Certificate, *, first: bool) -> str:
    if first:
        return f"certificates/{certificate.code}.pdf"
    versions = certificate.events.filter(action__in=["issued", "reissued"]).count()
    suffix = f"-v{versions + 1}" if versions else ""
    return f"certificates/{certificate.code}{suffix}.pdf"


_made_dirs: set[str] = set()


def store_pdf(*, name: str, content: bytes) -> str:
    """Write through the private storage so that the final name never holds
    a half-written file: on a filesystem, write a temporary file, fsync it,
    then rename it over the final name (atomic on POSIX); object stores write
    a key atomically anyway. No stat calls: the directory is made once per
    process, the mode is set on the open descriptor."""
    storage = storages["private"]
    try:
        final_path = storage.path(name)
    except NotImplementedError:
        if storage.exists(name):
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


def _render_and_store(
    certificate: Certificate, facts: dict, *, first: bool
) -> tuple[str, str]:
    content = render_pdf(
        facts=facts,
        code=certificate.code,
        language=certificate.language,
        verify_url=verify_url(code=certificate.code, language=certificate.language),
    )
    name = store_pdf(name=_pdf_name(certificate, first=first), content=content)
    return name, hashlib.sha256(content).hexdigest()


def certificate_render(*, certificate_id: int) -> Certificate | None:
    """Claim, render, store and issue. Returns the certificate if this call
    issued it, None if there was nothing to do (already issued, revoked,
    being rendered by someone else, or gone)."""
    now = timezone.now()
    claimed = _claim_and_load(certificate_id, now)
    if claimed is None:
        return None
    certificate, facts = claimed
    try:
        if facts is None:
            facts = certificate_facts(certificate=_load(certificate_id))
        name, digest = _render_and_store(
            certificate, facts, first=not certificate.issued_at
        )
    except Exception as exc:
        Certificate.objects.filter(
            pk=certificate_id, status=Certificate.Status.RENDERING, claimed_at=now
        ).update(status=Certificate.Status.PENDING, last_error=repr(exc)[:2000])
        raise
    issued_fields = {
        "status": Certificate.Status.ISSUED,
        "facts": facts,
        "pdf": name,
        "sha256": digest,
        "issued_at": timezone.now(),
        "last_error": "",
    }
    if not _update_with_event(
        pk=certificate_id,
        where={"status": Certificate.Status.RENDERING, "claimed_at": now},
        values=issued_fields,
        action="issued",
        sha256=digest,
        pdf_name=name,
    ):
        return None  # our claim was taken over as stale; the other render wins
    # The row as just written, without reading it back.
    for field, value in issued_fields.items():
        setattr(certificate, field, value)
    certificate.claimed_at = now
    return certificate


# --- email -----------------------------------------------------------------


def _recipient(certificate: Certificate) -> str:
    if certificate.user_id:
        return certificate.user.email  # type: ignore[union-attr]
    if certificate.attendee_id:
        return certificate.attendee.email  # type: ignore[union-attr]
    return ""


@functools.cache
def _claim_email_sql() -> str:
    """Claim an issued certificate's email and read its recipient, in one
    statement (names from the models, values as parameters)."""
    User = Certificate._meta.get_field("user").related_model
    SessionAttendee = Certificate._meta.get_field("attendee").related_model
    col, table = _col, _table
    C = Certificate
    returned = ["id", "code", "language", "facts", "pdf", "user", "attendee"]
    return " ".join(
        [
            f"WITH claimed AS (UPDATE {table(C)}",  # noqa: S608
            f"SET {col(C, 'email_claimed_at')} = %s",
            f"WHERE {col(C, 'id')} = %s AND {col(C, 'status')} = %s",
            f"AND {col(C, 'emailed_at')} IS NULL",
            f"AND ({col(C, 'email_claimed_at')} IS NULL",
            f"OR {col(C, 'email_claimed_at')} < %s)",
            f"RETURNING {', '.join(col(C, name) for name in returned)})",
            f"SELECT claimed.*, u.{col(User, 'email')},",
            f"a.{col(SessionAttendee, 'email')}",
            f"FROM claimed LEFT JOIN {table(User)} u",
            f"ON u.{col(User, 'id')} = claimed.{col(C, 'user')}",
            f"LEFT JOIN {table(SessionAttendee)} a",
            f"ON a.{col(SessionAttendee, 'id')} = claimed.{col(C, 'attendee')}",
        ]
    )


def _claim_email(certificate_id: int, now) -> tuple[Certificate, str] | None:
    """Claim the email of an issued certificate not emailed yet (nor being
    emailed, unless that claim is stale). None if not claimed; else the
    certificate (the columns the email needs) and its recipient's address."""
    if connection.vendor != "postgresql":
        claimed = (
            Certificate.objects.filter(
                pk=certificate_id,
                status=Certificate.Status.ISSUED,
                emailed_at__isnull=True,
            )
            .filter(
                Q(email_claimed_at__isnull=True)
                | Q(email_claimed_at__lt=now - STALE_EMAIL)
            )
            .update(email_claimed_at=now)
        )
        if not claimed:
            return None
        certificate = Certificate.objects.select_related("user", "attendee").get(
            pk=certificate_id
        )
        return certificate, _recipient(certificate)
    row = _fetch_prepared(
        _claim_email_sql(),
        [now, certificate_id, Certificate.Status.ISSUED, now - STALE_EMAIL],
        durable=False,
    )
    if row is None:
        return None
    pk, code, language, facts, pdf, user_id, attendee_id, user_email, attendee_email = (
        row
    )
    facts = _jsonb(facts)
    certificate = Certificate(
        pk=pk,
        code=code,
        language=language,
        facts=facts,
        pdf=pdf,
        user_id=user_id,
        attendee_id=attendee_id,
        status=Certificate.Status.ISSUED,
        email_claimed_at=now,
    )
    return certificate, (user_email if user_id else attendee_email) or ""


def certificate_email(*, certificate_id: int) -> bool:
    """Email the issued certificate once. The email is claimed with a
    timestamp (a second delivery finds the claim and does nothing), sent, and
    only then marked sent; a worker that dies in between leaves a claim that
    goes stale after STALE_EMAIL, and the sweep queues it again. True if this
    call sent it."""
    now = timezone.now()
    claimed = _claim_email(certificate_id, now)
    if claimed is None:
        return False
    certificate, to = claimed
    mine = Certificate.objects.filter(pk=certificate_id, email_claimed_at=now)
    if not to:  # no address (an attendee without email): the sweep skips these
        return False
    context = {
        "certificate": certificate,
        "facts": certificate.facts,
        "verify_url": verify_url(code=certificate.code, language=certificate.language),
        "dashboard_url": f"{settings.SITE_URL}/{certificate.language}/dashboard/",
    }
    try:
        with translation.override(certificate.language):
            subject = " ".join(
                render_to_string(
                    "certificates/emails/certificate_subject.txt", context
                ).split()
            )
            text = render_to_string("certificates/emails/certificate_body.txt", context)
            html = render_to_string(
                "certificates/emails/certificate_body.html", context
            )
        message = EmailMultiAlternatives(subject, text, to=[to])
        message.attach_alternative(html, "text/html")
        with storages["private"].open(certificate.pdf.name, "rb") as handle:
            message.attach(f"{certificate.code}.pdf", handle.read(), "application/pdf")
        message.send()
    except Exception:
        # Give the claim back so that a retry (or the sweep) sends it.
        mine.update(email_claimed_at=None)
        raise
    _update_with_event(
        pk=certificate_id,
        where={"email_claimed_at": now},
        values={"emailed_at": timezone.now()},
        action="emailed",
        detail=to,
    )
    return True


# --- sweep -----------------------------------------------------------------


def certificates_sweep() -> dict[str, int]:
    """Queue again what a broker outage or a killed worker left behind."""
    now = timezone.now()
    stuck = list(
        Certificate.objects.filter(
            Q(status=Certificate.Status.PENDING, created_at__lt=now - STALE_PENDING)
            | Q(
                status=Certificate.Status.RENDERING,
                claimed_at__lt=now - STALE_RENDER,
            )
        ).values_list("pk", flat=True)[:500]
    )
    unsent = list(
        Certificate.objects.filter(
            status=Certificate.Status.ISSUED,
            emailed_at__isnull=True,
            issued_at__lt=now - STALE_PENDING,
        )
        .filter(
            Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - STALE_EMAIL)
        )
        .filter(Q(user__isnull=False) | ~Q(attendee__email=""))
        .values_list("pk", flat=True)[:500]
    )
    for pk in stuck:
        _enqueue_render(pk)
    for pk in unsent:
        _enqueue_email(pk)
    return {"render": len(stuck), "email": len(unsent)}


# --- staff actions ---------------------------------------------------------


def certificate_revoke(*, certificate: Certificate, reason: str, actor) -> Certificate:
    """Revoke: the status changes; the row, the facts and the file stay."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for revoking this certificate."))
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status == Certificate.Status.REVOKED:
            raise ValidationError(_("This certificate is already revoked."))
        certificate.status = Certificate.Status.REVOKED
        certificate.revoked_at = timezone.now()
        certificate.revoked_reason = reason
        certificate.revoked_by = actor
        certificate.save(
            update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"]
        )
        _event(certificate, "revoked", actor=actor, detail=reason)
    return certificate


def certificate_reissue(
    *, certificate: Certificate, actor, email: bool = False
) -> Certificate:
    """A new PDF from the current data, same code. The previous file stays in
    storage and its name and hash are in the history."""
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.status != Certificate.Status.ISSUED:
            raise ValidationError(_("Only an issued certificate can be reissued."))
        certificate = _load(certificate.pk)
        previous = (certificate.pdf.name, certificate.sha256)
        facts = certificate_facts(certificate=certificate)
        name, digest = _render_and_store(certificate, facts, first=False)
        certificate.facts = facts
        certificate.pdf = name
        certificate.sha256 = digest
        certificate.issued_at = timezone.now()
        fields = ["facts", "pdf", "sha256", "issued_at"]
        if email:
            certificate.emailed_at = None
            certificate.email_claimed_at = None
            fields += ["emailed_at", "email_claimed_at"]
        certificate.save(update_fields=fields)
        _event(
            certificate,
            "reissued",
            actor=actor,
            sha256=digest,
            pdf_name=name,
            detail=f"previous: {previous[0]} sha256 {previous[1]}",
        )
        if email:
            transaction.on_commit(lambda: _enqueue_email(certificate.pk))
    return certificate


def certificates_regenerate_course(*, course, actor) -> CertificateJob:
    """Start a Celery job that reissues every issued certificate of a course."""
    with transaction.atomic():
        total = Certificate.objects.filter(
            enrolment__course=course, status=Certificate.Status.ISSUED
        ).count()
        job = CertificateJob.objects.create(
            kind=CertificateJob.Kind.REGENERATE,
            course=course,
            total=total,
            created_by=actor,
        )
        transaction.on_commit(lambda: _enqueue_job(job.pk))
    return job


def cohort_zip_build(*, cohort, actor) -> CertificateJob:
    """Start a Celery job that builds a ZIP of a cohort's issued certificates."""
    with transaction.atomic():
        total = _cohort_certificates(cohort.pk).count()
        job = CertificateJob.objects.create(
            kind=CertificateJob.Kind.ZIP, cohort=cohort, total=total, created_by=actor
        )
        transaction.on_commit(lambda: _enqueue_job(job.pk))
    return job


def _cohort_certificates(cohort_id: int):
    return Certificate.objects.filter(
        Q(enrolment__cohort_id=cohort_id) | Q(attendee__session__cohort_id=cohort_id),
        status=Certificate.Status.ISSUED,
    ).order_by("pk")


def certificate_job_run(*, job_id: int) -> CertificateJob | None:
    """Run one chunk of a job. Returns the job; the caller queues the next
    chunk while it is still running."""
    job = CertificateJob.objects.filter(pk=job_id).first()
    if job is None or job.status in {
        CertificateJob.Status.DONE,
        CertificateJob.Status.FAILED,
    }:
        return job
    CertificateJob.objects.filter(pk=job.pk).update(
        status=CertificateJob.Status.RUNNING
    )
    job.status = CertificateJob.Status.RUNNING
    try:
        if job.kind == CertificateJob.Kind.REGENERATE:
            _regenerate_chunk(job)
        else:
            _zip_build(job)
    except Exception as exc:
        job.status = CertificateJob.Status.FAILED
        job.error = repr(exc)[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    return job


def _regenerate_chunk(job: CertificateJob) -> None:
    chunk = list(
        Certificate.objects.filter(
            enrolment__course_id=job.course_id,
            status=Certificate.Status.ISSUED,
            pk__gt=job.cursor,
        ).order_by("pk")[:JOB_CHUNK]
    )
    for certificate in chunk:
        certificate_reissue(certificate=certificate, actor=job.created_by)
        job.done += 1
        job.cursor = certificate.pk
        job.save(update_fields=["done", "cursor"])
    if len(chunk) < JOB_CHUNK:
        job.status = CertificateJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])


def _zip_build(job: CertificateJob) -> None:
    storage = storages["private"]
    with tempfile.TemporaryFile() as handle:
        with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as archive:
            for certificate in _cohort_certificates(job.cohort_id).iterator():  # type: ignore[arg-type]
                with storage.open(certificate.pdf.name, "rb") as pdf:
                    archive.writestr(f"{certificate.code}.pdf", pdf.read())
                job.done += 1
                if job.done % JOB_CHUNK == 0:
                    job.save(update_fields=["done"])
        handle.seek(0)
        token = generate_code().replace("-", "").lower()
        name = storage.save(
            f"certificates/zips/cohort-{job.cohort_id}-{job.pk}-{token}.zip",
            File(handle),
        )
    job.file = name
    job.total = max(job.total, job.done)
    job.status = CertificateJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "done", "total", "status", "finished_at"])
