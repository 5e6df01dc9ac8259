"""Data setups the journeys share. The live server runs against a
transactional database, flushed after each test, so each test builds what
it needs with these (the shared factories underneath)."""

from __future__ import annotations

from django.utils import timezone

from tests.conftest import PASSWORD
from tests.factories import make_cohort, make_course, make_enrolment

__all__ = ["PASSWORD", "course_with_quiz", "issued_certificate", "revoked_certificate"]


def site_ready():
    """The site, even after a flush that emptied the tables a migration had
    filled (Wagtail's root page and root collection): serialized_rollback
    restores them in a fresh test database, but not with --reuse-db."""
    from wagtail.models import Collection, Page

    from home.services import locales_ensure, site_ensure

    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        locales = locales_ensure()
        Page.add_root(instance=Page(title="Root", slug="root", locale=locales["en"]))
    return site_ensure()


def course_with_quiz(*, language: str = "en", title: str = "Integration of migrants"):
    """A published course: two modules of one lesson each, a quiz (with the
    answers of tests.factories.quiz_block_value) in the last lesson."""
    site_ready()
    return make_course(
        title=title,
        language=language,
        modules=2,
        lessons_per_module=1,
        quiz_in_last_lesson=True,
    )


def _completed_enrolment(*, user, course):
    enrolment = make_enrolment(
        user=user, course=course, cohort=make_cohort(course=course)
    )
    enrolment.status = "completed"
    enrolment.completed_at = timezone.now()
    enrolment.save(update_fields=["status", "completed_at"])
    return enrolment


def issued_certificate(*, user, course):
    """A certificate rendered and issued now, in this process."""
    from certificates.models import Certificate
    from certificates.services import (
        certificate_render,
        certificate_request_for_enrolment,
    )

    certificate = certificate_request_for_enrolment(
        enrolment=_completed_enrolment(user=user, course=course)
    )
    certificate_render(certificate_id=certificate.pk)
    certificate = Certificate.objects.get(pk=certificate.pk)
    assert certificate.status == Certificate.Status.ISSUED, certificate.last_error
    return certificate


def revoked_certificate(*, user, course, actor, reason: str):
    from certificates.services import certificate_revoke

    certificate = issued_certificate(user=user, course=course)
    return certificate_revoke(certificate=certificate, reason=reason, actor=actor)


def qualified_trainer(*, trainer):
    """`trainer` completed a train-the-trainer course in an expert cohort,
    which qualifies them to deliver a workshop course; returns the workshop."""
    from cascades.services import qualifications_from_completion

    site_ready()
    tot = make_course(
        title="Capacity development ToT",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=1,
    )
    workshop = make_course(
        title="Delivering the workshop", modules=1, lessons_per_module=1
    )
    tot.qualifies_for.set([tot, workshop])
    tot.save()
    expert = make_cohort(course=tot, name="Experts Yaoundé", country="CM")
    enrolment = make_enrolment(
        user=trainer,
        course=tot,
        cohort=expert,
        status="completed",
        completed_at=timezone.now(),
    )
    qualifications_from_completion(enrolment=enrolment)
    return workshop
