"""Deleting an account removes the holder's name from every stored file: each
PDF version of their certificates, every cohort ZIP that held one
(certificates/services/erase.py) and the staff's enrolment lists
(reports/data_rights.py). The search walks the real storage roots
and reads PDFs with pypdf (their text is compressed) and ZIPs member by
member."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pypdf
import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.test import Client
from django.urls import reverse

from certificates import services
from certificates.models import Certificate, CertificateJob
from reports.services import export_job_build, export_job_request
from tests.conftest import PASSWORD, _make_user, reauthenticate
from tests.factories import make_enrolment

from .conftest import complete

pytestmark = pytest.mark.django_db

BASE = "/admin/certificates/"
# Distinctive enough that no other test's file carries it.
FIRST, LAST = "Zéphyrine", "Quarrendell-Оксанова"


def pdf_text(content: bytes) -> str:
    return "\n".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages
    )


def mentions(content: bytes, needle: str) -> bool:
    """The name in the raw bytes (UTF-8 or UTF-16), in a PDF's extracted
    text, or in any member of a ZIP."""
    for encoded in (needle.encode(), needle.encode("utf-16-be")):
        if encoded in content:
            return True
    if content.startswith(b"%PDF"):
        return needle in pdf_text(content)
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return any(
                mentions(archive.read(member), needle) for member in archive.namelist()
            )
    return False


def storage_roots() -> set[Path]:
    """Every directory files are stored under: the public and the private
    media roots (this test's, see tests/conftest.py) and the storage each
    model's file field was given when the models were loaded (in tests that
    can be the test settings' roots, shared with other tests)."""
    roots = {Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            location = getattr(getattr(field, "storage", None), "location", None)
            if isinstance(field, models.FileField) and location:
                roots.add(Path(location))
    return roots


def files_naming(needle: str, *, since: float) -> list[str]:
    """Every stored file written since `since` (this test's) that names
    `needle`."""
    return sorted(
        str(path)
        for root in storage_roots()
        if root.exists()
        for path in root.rglob("*")
        if path.is_file()
        and path.stat().st_mtime >= since
        and mentions(path.read_bytes(), needle)
    )


@pytest.fixture
def holder(site):
    return _make_user(
        "zephyrine@example.org", first_name=FIRST, last_name=LAST, country="UG"
    )


@pytest.fixture
def holders_certificate(
    holder, course, cohort, django_capture_on_commit_callbacks, mailoutbox
):
    enrolment = complete(make_enrolment(user=holder, course=course, cohort=cohort))
    with django_capture_on_commit_callbacks(execute=True):
        certificate = services.certificate_request_for_enrolment(enrolment=enrolment)
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    return certificate


@pytest.fixture
def attended(holder, cohort, trainer, django_capture_on_commit_callbacks, mailoutbox):
    """The holder also attended one of the cohort's sessions, listed with
    their address (in other letters' case), and got its certificate."""
    from cascades.models import SessionAttendee, TrainingSession
    from cascades.services import attendance_certificates_request

    cohort.trainer = trainer
    cohort.save()
    session = TrainingSession.objects.create(
        cohort=cohort,
        held_on=dt.date(2025, 5, 6),
        place="Yaoundé",
        duration_hours=4,
        participants_women=2,
    )
    attendee = SessionAttendee.objects.create(
        session=session, name=f"{FIRST} {LAST}", email="Zephyrine@Example.org"
    )
    SessionAttendee.objects.create(session=session, name="Айгерим Токтогулова")
    with django_capture_on_commit_callbacks(execute=True):
        attendance_certificates_request(session=session, requested_by=trainer)
    certificate = Certificate.objects.get(attendee=attendee)
    assert certificate.status == "issued"
    return certificate


@pytest.fixture
def staff(admin_user):
    """Staff in their own browser; `client` is the holder's."""
    browser = Client()
    browser.force_login(admin_user)
    reauthenticate(browser)
    return browser


def build_zip(staff, cohort, capture) -> CertificateJob:
    with capture(execute=True):
        staff.post(f"{BASE}cohort-zip/", {"cohort": cohort.pk})
    job = CertificateJob.objects.latest("pk")
    assert job.status == "done" and job.file
    return job


def delete_account(client, user, capture) -> None:
    client.force_login(user)
    with capture(execute=True):
        response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.anonymised_at is not None


def test_after_deleting_the_account_no_stored_file_names_the_holder(
    client,
    staff,
    admin_user,
    holder,
    holders_certificate,
    attended,
    issued,
    cohort,
    django_capture_on_commit_callbacks,
):
    capture = django_capture_on_commit_callbacks
    since = holders_certificate.created_at.timestamp() - 1
    first_version = holders_certificate.pdf.name
    # A reissue whose deletion of the previous file never ran (no commit
    # callbacks: as if the process died right after the commit).
    second = services.certificate_reissue(
        certificate=holders_certificate, actor=admin_user
    )
    assert second.pdf.name != first_version
    job = build_zip(staff, cohort, capture)
    with capture(execute=False):
        export = export_job_request(
            user=admin_user, kind="enrolment_list", fmt="xlsx", params={}
        )
    export = export_job_build(job_id=export.pk)
    assert export is not None and export.file
    named = files_naming(LAST, since=since)
    # The search finds the name where it is: both PDF versions, the ZIP and
    # the staff's enrolment list.
    assert {Path(n).name for n in named} >= {
        Path(first_version).name,
        Path(second.pdf.name).name,
        Path(job.file.name).name,
        Path(export.file.name).name,
        Path(attended.pdf.name).name,
    }

    delete_account(client, holder, capture)

    assert files_naming(LAST, since=since) == []
    assert files_naming(FIRST, since=since) == []
    assert files_naming("zephyrine@example.org", since=since) == []
    assert files_naming("Zephyrine@Example.org", since=since) == []
    attended.refresh_from_db()
    assert attended.status == "issued" and attended.facts["name_removed"] is True
    # The other participant's certificate and its file are untouched.
    issued.refresh_from_db()
    assert storages["private"].exists(issued.pdf.name)
    assert "Alice Mbeki" in pdf_text(storages["private"].open(issued.pdf.name).read())


def test_the_verification_page_says_the_name_was_removed(
    client, holder, holders_certificate, django_capture_on_commit_callbacks
):
    delete_account(client, holder, django_capture_on_commit_callbacks)
    page = client.get(f"/en/certificates/verify/{holders_certificate.code}/")
    body = page.content.decode()
    assert page.status_code == 200
    assert "This certificate is valid." in body
    assert "Name removed at the holder" in body
    assert LAST not in body and FIRST not in body


def test_the_history_keeps_each_versions_hash_and_no_file(
    client, admin_user, holder, holders_certificate, django_capture_on_commit_callbacks
):
    first = (holders_certificate.pdf.name, holders_certificate.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.certificate_reissue(
            certificate=holders_certificate, actor=admin_user
        )
    storage = storages["private"]
    assert not storage.exists(first[0])  # the reissue deleted it on commit
    assert storage.exists(second.pdf.name)
    hashes = list(
        holders_certificate.events.filter(
            action__in=["issued", "reissued"]
        ).values_list("sha256", flat=True)
    )
    assert hashes == [first[1], second.sha256]

    delete_account(client, holder, django_capture_on_commit_callbacks)
    holders_certificate.refresh_from_db()
    assert not holders_certificate.pdf and not storage.exists(second.pdf.name)
    assert holders_certificate.facts["name"] == ""
    assert holders_certificate.facts["course"] == "Integration of migrants"
    assert list(
        holders_certificate.events.filter(
            action__in=["issued", "reissued"]
        ).values_list("sha256", flat=True)
    ) == [first[1], second.sha256]
    emailed = holders_certificate.events.get(action="emailed")
    assert emailed.detail == holder.email  # the placeholder, not the address


def test_the_download_of_a_deleted_zip_says_it_is_gone(
    client,
    staff,
    admin_user,
    holder,
    holders_certificate,
    cohort,
    django_capture_on_commit_callbacks,
):
    job = build_zip(staff, cohort, django_capture_on_commit_callbacks)
    delete_account(client, holder, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    assert not job.file and job.file_removed_at is not None

    response = staff.get(f"{BASE}jobs/{job.pk}/download/")
    assert response.status_code == 410
    body = response.content.decode()
    assert "This ZIP was deleted" in body
    assert reverse("certificates_admin:cohort_zip") in body
    assert "Download the ZIP" not in staff.get(f"{BASE}jobs/{job.pk}/").content.decode()


def test_a_zip_whose_file_is_missing_says_it_is_gone(
    staff, issued, cohort, django_capture_on_commit_callbacks
):
    job = build_zip(staff, cohort, django_capture_on_commit_callbacks)
    storages["private"].delete(job.file.name)
    response = staff.get(f"{BASE}jobs/{job.pk}/download/")
    assert response.status_code == 410
    assert "no longer in storage" in response.content.decode()


def test_a_new_zip_of_the_cohort_leaves_the_deleted_holder_out(
    client,
    staff,
    holder,
    holders_certificate,
    issued,
    cohort,
    django_capture_on_commit_callbacks,
):
    delete_account(client, holder, django_capture_on_commit_callbacks)
    job = build_zip(staff, cohort, django_capture_on_commit_callbacks)
    with storages["private"].open(job.file.name) as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert names == [f"{issued.code}.pdf"]
    assert job.total == job.done == 1


def test_a_zip_being_built_when_the_holder_leaves_is_queued_again(
    admin_user, holder, holders_certificate, cohort
):
    from django.utils import timezone

    job = CertificateJob.objects.create(
        kind=CertificateJob.Kind.ZIP, cohort=cohort, total=1, created_by=admin_user
    )
    assert services.certificate_job_claim(job_id=job.pk, now=timezone.now())
    services.certificates_erase_names(
        certificates=Certificate.objects.filter(pk=holders_certificate.pk),
        detail="test",
    )
    job.refresh_from_db()
    # The running build lost its claim: its final write changes nothing and
    # it deletes its own ZIP; the next run builds without the holder.
    assert job.status == "queued" and job.claimed_at is None
    services.certificate_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.done == 0
    with storages["private"].open(job.file.name) as handle:
        assert zipfile.ZipFile(handle).namelist() == []


def test_a_certificate_still_pending_at_deletion_renders_without_the_name(
    client, holder, course, cohort, django_capture_on_commit_callbacks
):
    enrolment = complete(make_enrolment(user=holder, course=course, cohort=cohort))
    certificate = services.certificate_request_for_enrolment(enrolment=enrolment)
    assert certificate.status == "pending"  # its render task never ran
    delete_account(client, holder, django_capture_on_commit_callbacks)
    rendered = services.certificate_render(certificate_id=certificate.pk)
    assert rendered is not None and rendered.facts["name_removed"] is True
    content = storages["private"].open(rendered.pdf.name).read()
    assert not mentions(content, LAST)
    assert "deleted-" not in pdf_text(content)  # nor the placeholder address
    assert services.certificate_recipient(certificate=rendered) == ""


def test_reissuing_a_deleted_holders_certificate_prints_no_name(
    client, admin_user, holder, holders_certificate, django_capture_on_commit_callbacks
):
    delete_account(client, holder, django_capture_on_commit_callbacks)
    reissued = services.certificate_reissue(
        certificate=holders_certificate, actor=admin_user
    )
    assert reissued.facts["name"] == "" and reissued.facts["name_removed"] is True
    content = storages["private"].open(reissued.pdf.name).read()
    assert not mentions(content, LAST)
    assert "deleted-" not in pdf_text(content)


def test_an_attendee_listed_with_the_address_loses_the_name_and_still_counts_once(
    client,
    holder,
    holders_certificate,
    attended,
    trainer,
    cohort,
    django_capture_on_commit_callbacks,
):
    from cascades.selectors import cascade_reach_for_trainer
    from cascades.services import qualification_grant

    # A trainer acts and sees their cohorts only while qualified for them.
    qualification_grant(user=trainer, course=cohort.course, granted_by=None)
    before = cascade_reach_for_trainer(user=trainer).total
    assert before.people >= 1
    delete_account(client, holder, django_capture_on_commit_callbacks)
    attendee = attended.attendee
    attendee.refresh_from_db()
    assert attendee.name == "" and attendee.email == holder.email
    after = cascade_reach_for_trainer(user=trainer).total
    assert (after.people, after.anonymous) == (before.people, before.anonymous)
    assert services.certificate_recipient(certificate=attended) == ""
    client.force_login(trainer)
    page = client.get(
        reverse("trainer_session", args=[attendee.session_id])
    ).content.decode()
    assert "Name removed at the holder" in page and LAST not in page


def test_the_sweep_sends_no_email_for_a_deleted_holder(
    client,
    holder,
    holders_certificate,
    attended,
    issued,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    """Three certificates issued an hour ago and not emailed: the sweep
    queues only the one whose holder still has an account."""
    from datetime import timedelta

    from django.utils import timezone

    delete_account(client, holder, django_capture_on_commit_callbacks)
    Certificate.objects.update(
        emailed_at=None,
        email_claimed_at=None,
        issued_at=timezone.now() - timedelta(hours=1),
    )
    mailoutbox.clear()
    queued = services.certificates_sweep()  # the tasks run eagerly here
    assert queued["email"] == 1
    assert [m.to for m in mailoutbox] == [[issued.user.email]]
    assert services.certificate_email(certificate_id=holders_certificate.pk) is False
    assert mailoutbox[1:] == []
