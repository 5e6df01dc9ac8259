from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from certificates import services
from certificates.models import Certificate, CertificateEvent, CertificateJob
from certificates.services import (
    certificate_email,
    certificate_reissue,
    certificate_render,
    certificate_request_for_enrolment,
    certificate_revoke,
)
from enrolment import hooks
from tests.factories import make_enrolment

from .conftest import complete

pytestmark = pytest.mark.django_db


def test_completion_hook_issues_and_emails_the_certificate(
    completed_enrolment, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        hooks.on_course_completed.send(enrolment=completed_enrolment)
    certificate = Certificate.objects.get(enrolment=completed_enrolment)
    assert certificate.status == Certificate.Status.ISSUED
    assert len(mailoutbox) == 1
    assert mailoutbox[0].attachments[0][0] == f"{certificate.code}.pdf"


def test_the_hook_does_nothing_when_the_course_issues_no_certificates(
    completed_enrolment, course, django_capture_on_commit_callbacks
):
    course.certificate_enabled = False
    course.save()
    with django_capture_on_commit_callbacks(execute=True):
        hooks.on_course_completed.send(enrolment=completed_enrolment)
    assert not Certificate.objects.exists()


def test_requesting_twice_returns_the_same_certificate(completed_enrolment):
    first = certificate_request_for_enrolment(enrolment=completed_enrolment)
    second = certificate_request_for_enrolment(enrolment=completed_enrolment)
    assert first.pk == second.pk
    assert Certificate.objects.count() == 1


def test_an_active_enrolment_earns_no_certificate(participant, course):
    enrolment = make_enrolment(user=participant, course=course)
    with pytest.raises(ValidationError):
        certificate_request_for_enrolment(enrolment=enrolment)
    assert not Certificate.objects.exists()


def test_the_language_is_the_participants_preferred_one(
    completed_enrolment, participant
):
    participant.preferred_language = "ru"
    participant.save()
    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    assert certificate.language == "ru"


def test_without_a_preference_the_language_is_the_course_pages(completed_enrolment):
    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    assert certificate.language == "en"


def test_the_render_stores_the_pdf_and_its_hash(issued):
    content = storages["private"].open(issued.pdf.name, "rb").read()
    assert content.startswith(b"%PDF")
    assert issued.sha256 == hashlib.sha256(content).hexdigest()
    assert issued.pdf.name == f"certificates/{issued.code}.pdf"


def test_the_render_leaves_no_temporary_file(issued):
    _dirs, files = storages["private"].listdir("certificates")
    assert files == [f"{issued.code}.pdf"]


def test_the_render_freezes_the_facts(issued, participant, course):
    participant.first_name = "Alicia"
    participant.save()
    course.certificate_signatory = "Someone Else"
    course.save()
    assert issued.facts["name"] == "Alice Mbeki"
    assert issued.facts["signatory"] == "Dr. A. Example"
    assert issued.facts["cohort"] == "Kampala 2025"
    assert issued.facts["country"] == "UG"
    assert issued.facts["hours"] == "6.0"


@pytest.mark.parametrize("with_cohort", [True, False])
def test_the_render_prints_the_facts_of_the_participant_and_the_cohort(
    participant, course, cohort, with_cohort, django_capture_on_commit_callbacks
):
    participant.institution = "MINREX"
    participant.save()
    enrolment = complete(
        make_enrolment(
            user=participant, course=course, cohort=cohort if with_cohort else None
        )
    )
    with django_capture_on_commit_callbacks(execute=False):
        certificate = certificate_request_for_enrolment(enrolment=enrolment)
    rendered = certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert rendered is not None and certificate.status == "issued"
    assert certificate.attempts == 1
    expected = services.certificate_facts(
        certificate=services.certificate_load(certificate_id=certificate.pk)
    )
    assert certificate.facts == expected
    assert certificate.facts["institution"] == "MINREX"
    assert certificate.facts["cohort"] == ("Kampala 2025" if with_cohort else "")


def test_the_email_of_a_certificate_without_an_address_is_not_sent(
    issued, participant, mailoutbox
):
    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None, email_claimed_at=None
    )
    participant.email = ""
    participant.save()
    mailoutbox.clear()
    assert certificate_email(certificate_id=issued.pk) is False
    assert mailoutbox == []


def test_rendering_an_issued_certificate_again_does_nothing(issued):
    assert certificate_render(certificate_id=issued.pk) is None
    assert issued.events.filter(action="issued").count() == 1


def test_emailing_twice_sends_one_email(issued, mailoutbox):
    assert certificate_email(certificate_id=issued.pk) is False
    assert len(mailoutbox) == 1


def test_the_email_is_in_the_certificates_language(
    completed_enrolment, participant, django_capture_on_commit_callbacks, mailoutbox
):
    participant.preferred_language = "fr"
    participant.save()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_request_for_enrolment(enrolment=completed_enrolment)
    body = mailoutbox[0].body
    assert "/fr/certificates/verify/" in body
    assert mailoutbox[0].alternatives[0][1] == "text/html"


def test_a_failed_email_gives_back_its_claim(issued):
    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None, email_claimed_at=None
    )
    with (
        mock.patch(
            "django.core.mail.EmailMultiAlternatives.send",
            autospec=True,
            side_effect=OSError("smtp down"),
        ),
        pytest.raises(OSError),
    ):
        certificate_email(certificate_id=issued.pk)
    issued.refresh_from_db()
    assert issued.emailed_at is None
    assert issued.email_claimed_at is None


def test_the_email_is_marked_sent_only_after_it_is_sent(issued):
    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None, email_claimed_at=None
    )
    seen = []

    def send(message, *args, **kwargs):
        seen.append(
            Certificate.objects.values_list("email_claimed_at", "emailed_at").get(
                pk=issued.pk
            )
        )
        return 1

    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", autospec=True, side_effect=send
    ):
        assert certificate_email(certificate_id=issued.pk) is True
    ((claimed_at, emailed_at),) = seen
    assert claimed_at is not None
    assert emailed_at is None
    issued.refresh_from_db()
    assert issued.emailed_at is not None


def test_an_email_whose_worker_died_after_the_claim_is_sent_by_the_sweep(
    issued, mailoutbox
):
    from datetime import timedelta

    from django.utils import timezone

    # The state a worker killed between the claim and the send leaves behind.
    long_ago = timezone.now() - timedelta(minutes=10)
    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None, email_claimed_at=long_ago, issued_at=long_ago
    )
    mailoutbox.clear()
    assert services.certificates_sweep()["email"] == 1
    assert len(mailoutbox) == 1
    issued.refresh_from_db()
    assert issued.emailed_at is not None
    assert certificate_email(certificate_id=issued.pk) is False
    assert len(mailoutbox) == 1


def test_an_email_being_sent_is_neither_swept_nor_sent_twice(issued, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    Certificate.objects.filter(pk=issued.pk).update(
        emailed_at=None,
        email_claimed_at=timezone.now(),
        issued_at=timezone.now() - timedelta(minutes=10),
    )
    mailoutbox.clear()
    assert services.certificates_sweep()["email"] == 0
    assert certificate_email(certificate_id=issued.pk) is False
    assert mailoutbox == []


def test_a_storage_failure_puts_the_certificate_back_to_pending(completed_enrolment):
    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    with (
        mock.patch(
            "certificates.services.render.store_pdf",
            autospec=True,
            side_effect=OSError("disk full"),
        ),
        pytest.raises(OSError),
    ):
        certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
    assert "disk full" in certificate.last_error


def test_a_stale_rendering_claim_can_be_taken_over(completed_enrolment):
    from datetime import timedelta

    from django.utils import timezone

    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="rendering", claimed_at=timezone.now() - timedelta(minutes=10)
    )
    assert certificate_render(certificate_id=certificate.pk) is not None


def test_a_fresh_rendering_claim_is_left_alone(completed_enrolment):
    from django.utils import timezone

    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(
        status="rendering", claimed_at=timezone.now()
    )
    assert certificate_render(certificate_id=certificate.pk) is None


def test_revoking_keeps_the_row_the_facts_and_the_file(issued, admin_user):
    certificate_revoke(certificate=issued, reason="Identity fraud", actor=admin_user)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    assert issued.revoked_reason == "Identity fraud"
    assert issued.revoked_by == admin_user
    assert issued.facts["name"] == "Alice Mbeki"
    assert storages["private"].exists(issued.pdf.name)


def test_revoking_needs_a_reason(issued, admin_user):
    with pytest.raises(ValidationError):
        certificate_revoke(certificate=issued, reason="  ", actor=admin_user)
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.ISSUED


def test_reissuing_keeps_the_code_and_uses_current_data(
    issued, participant, admin_user, django_capture_on_commit_callbacks
):
    participant.last_name = "Mbeki-Okello"
    participant.save()
    old_name, old_hash = issued.pdf.name, issued.sha256
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_reissue(certificate=issued, actor=admin_user)
    assert certificate.code == issued.code
    assert certificate.facts["name"] == "Alice Mbeki-Okello"
    assert certificate.sha256 != old_hash
    # The old file printed the old name: it goes once the reissue commits,
    # and the history keeps its name and hash.
    assert not storages["private"].exists(old_name)
    assert storages["private"].exists(certificate.pdf.name)
    event = CertificateEvent.objects.get(certificate=issued, action="reissued")
    assert old_hash in event.detail


def test_a_revoked_certificate_cannot_be_reissued(issued, admin_user):
    certificate_revoke(certificate=issued, reason="Error", actor=admin_user)
    with pytest.raises(ValidationError):
        certificate_reissue(certificate=issued, actor=admin_user)


def test_the_sweep_queues_old_pending_certificates(completed_enrolment):
    from datetime import timedelta

    from django.utils import timezone

    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    Certificate.objects.filter(pk=certificate.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    assert services.certificates_sweep()["render"] == 1
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED


def test_the_sweep_leaves_fresh_pending_certificates(completed_enrolment):
    certificate_request_for_enrolment(enrolment=completed_enrolment)
    assert services.certificates_sweep()["render"] == 0


def test_a_broker_outage_at_commit_is_logged_not_raised(
    completed_enrolment, django_capture_on_commit_callbacks, caplog
):
    from certificates.tasks import render_certificate

    with (
        mock.patch.object(
            render_certificate, "apply_async", side_effect=ConnectionError("no redis")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.PENDING
    assert "sweep will queue it again" in caplog.text


def test_regenerating_a_course_reissues_each_certificate_in_chunks(
    issued,
    course,
    cohort,
    admin_user,
    django_capture_on_commit_callbacks,
    monkeypatch,
):
    from accounts.models import User

    for n in range(2):
        user = User.objects.create_user(email=f"p{n}@example.org", first_name=f"P{n}")
        enrolment = complete(make_enrolment(user=user, course=course, cohort=cohort))
        with django_capture_on_commit_callbacks(execute=True):
            certificate_request_for_enrolment(enrolment=enrolment)
    monkeypatch.setattr("certificates.services.jobs.JOB_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.certificates_regenerate_course(course=course, actor=admin_user)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert CertificateEvent.objects.filter(action="reissued").count() == 3


def test_a_cohort_zip_holds_each_issued_certificate(
    issued, cohort, admin_user, django_capture_on_commit_callbacks
):
    import zipfile

    with django_capture_on_commit_callbacks(execute=True):
        job = services.cohort_zip_build(cohort=cohort, actor=admin_user)
    job.refresh_from_db()
    assert job.status == CertificateJob.Status.DONE
    with storages["private"].open(job.file.name, "rb") as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert names == [f"{issued.code}.pdf"]


def test_an_attendee_certificate_names_the_trainer_and_the_session(
    cohort, trainer, admin_user, django_capture_on_commit_callbacks
):
    import datetime as dt

    from cascades.models import SessionAttendee, TrainingSession
    from certificates.services import certificate_request_for_attendee

    cohort.trainer = trainer
    cohort.save()
    session = TrainingSession.objects.create(
        cohort=cohort, held_on=dt.date(2025, 5, 6), place="Yaoundé", duration_hours=4
    )
    attendee = SessionAttendee.objects.create(
        session=session, name="Айгерим Токтогулова", institution="MINREX"
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request_for_attendee(
            attendee=attendee, requested_by=trainer
        )
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ISSUED
    assert certificate.facts["trainer"] == "Tina Kamara"
    assert certificate.facts["place"] == "Yaoundé"
    assert certificate.facts["date"] == "2025-05-06"
    assert certificate.facts["institution"] == "MINREX"
