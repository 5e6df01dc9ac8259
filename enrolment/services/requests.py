"""Requests to join a course that staff approve (enrolment mode "approval")."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Enrolment, EnrolmentRequest
from .enrolments import SEATED, enrolment_create
from .errors import AlreadyEnrolled, EnrolmentError, RequestDecided


@transaction.atomic
def enrolment_request_create(*, user, course) -> EnrolmentRequest:
    """Ask to join `course`. Idempotent: a pending request is returned as it
    is. Raises AlreadyEnrolled for a seated participant, EnrolmentError for a
    course that takes no requests."""
    if not course.needs_approval:
        raise EnrolmentError()
    seated = Enrolment.objects.filter(
        user=user, course=course, status__in=SEATED
    ).first()
    if seated is not None:
        raise AlreadyEnrolled(enrolment=seated)
    pending = EnrolmentRequest.objects.filter(
        user=user, course=course, status=EnrolmentRequest.Status.PENDING
    ).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            return EnrolmentRequest.objects.create(
                user=user, course=course, created_at=timezone.now()
            )
    except IntegrityError:  # the same person, twice at once
        return EnrolmentRequest.objects.get(
            user=user, course=course, status=EnrolmentRequest.Status.PENDING
        )


def enrolment_request_pending(*, user, course) -> EnrolmentRequest | None:
    return EnrolmentRequest.objects.filter(
        user=user, course=course, status=EnrolmentRequest.Status.PENDING
    ).first()


def _decide(*, request: EnrolmentRequest, actor, status: str) -> EnrolmentRequest:
    changed = EnrolmentRequest.objects.filter(
        pk=request.pk, status=EnrolmentRequest.Status.PENDING
    ).update(status=status, decided_at=timezone.now(), decided_by=actor)
    if not changed:
        raise RequestDecided()
    request.refresh_from_db()
    return request


@transaction.atomic
def enrolment_request_approve(*, request: EnrolmentRequest, actor) -> Enrolment:
    """Staff approve: the participant is enrolled (source "staff"). Answering
    a request twice is refused (RequestDecided)."""
    request = _decide(
        request=request, actor=actor, status=EnrolmentRequest.Status.APPROVED
    )
    try:
        return enrolment_create(
            user=request.user,
            course=request.course,
            source=Enrolment.Source.ADMIN,
            actor=actor,
        )
    except AlreadyEnrolled as exc:  # joined by a key meanwhile
        return exc.enrolment


@transaction.atomic
def enrolment_request_refuse(*, request: EnrolmentRequest, actor) -> EnrolmentRequest:
    return _decide(request=request, actor=actor, status=EnrolmentRequest.Status.REFUSED)
