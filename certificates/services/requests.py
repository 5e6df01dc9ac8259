"""Requesting a certificate: once per enrolment or session attendee (the
one-to-one constraint decides races). The pending row is written in the
caller's transaction (for a completion, the one that completed the
enrolment); its render is queued after that commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..codes import generate_code
from ..models import Certificate
from .base import queue_render, record_event
from .facts import certificate_language


def _create_once(*, lookup: dict, fields: dict, actor=None) -> tuple[Certificate, bool]:
    existing = Certificate.objects.filter(**lookup).first()
    if existing:
        return existing, False
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                **lookup, **fields, code=generate_code()
            )
            record_event(certificate_id=certificate.pk, action="requested", actor=actor)
    except IntegrityError:
        # Another request won the race; the one-to-one constraint decided.
        return Certificate.objects.get(**lookup), False
    transaction.on_commit(lambda: queue_render(certificate.pk))
    return certificate, True


def certificate_request_for_enrolment(*, enrolment) -> Certificate:
    """Get or create the enrolment's certificate."""
    from enrolment.models import Enrolment

    if enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(_("Only a completed enrolment earns a certificate."))
    certificate, _created = _create_once(
        lookup={"enrolment": enrolment},
        fields={
            "kind": Certificate.Kind.COURSE,
            "user": enrolment.user,
            "language": certificate_language(
                user=enrolment.user, course=enrolment.course
            ),
        },
    )
    return certificate


def certificate_request_for_attendee(*, attendee, requested_by) -> Certificate:
    """Get or create the attendance certificate of someone who attended a
    trainer's in-person session (they need not have an account)."""
    cohort = attendee.session.cohort
    language = cohort.language or certificate_language(user=None, course=cohort.course)
    certificate, _created = _create_once(
        lookup={"attendee": attendee},
        fields={"kind": Certificate.Kind.ATTENDANCE, "language": language},
        actor=requested_by,
    )
    return certificate


def on_course_completed(*, enrolment, **kwargs) -> Certificate | None:
    """Receiver of enrolment.hooks.on_course_completed, inside the transaction
    that completes the enrolment: the pending certificate commits with the
    completion (a process killed right after that commit loses nothing; the
    sweep queues a render that was never queued)."""
    if not enrolment.course.certificate_enabled:
        return None
    return certificate_request_for_enrolment(enrolment=enrolment)
