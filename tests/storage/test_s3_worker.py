"""A real Celery worker process and the web side share nothing but
PostgreSQL, Redis and the S3 buckets (moto's server): each has its own empty
local folders, so a file can only pass through the bucket. They skip
locally without PostgreSQL and Redis; CI runs them."""

from __future__ import annotations

import hashlib
import io
import time
import zipfile

import pytest
from django.db import transaction
from django.urls import reverse

from certificates.models import Certificate, CertificateJob
from certificates.services import certificate_request_for_enrolment
from tests.conftest import reauthenticate
from tests.factories import make_cohort, make_course, make_enrolment

from .conftest import PRIVATE_BUCKET, LocalFolders

# serialized_rollback: the flush after a transactional test would otherwise
# remove the page tree that migrations create, and the next test needs it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_for(predicate, worker, what: str, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}\n{worker.log()}")


@pytest.fixture
def cohort(site):
    course = make_course(
        title="Integration of migrants", hours="6.0", modules=1, lessons_per_module=1
    )
    return make_cohort(course=course, name="Kampala 2025", country="UG")


def issue_through_the_worker(worker, *, user, cohort) -> Certificate:
    enrolment = make_enrolment(user=user, course=cohort.course, cohort=cohort)
    with transaction.atomic():
        enrolment.status = "completed"
        enrolment.save(update_fields=["status"])
        certificate = certificate_request_for_enrolment(enrolment=enrolment)
    wait_for(
        lambda: Certificate.objects.filter(pk=certificate.pk, status="issued").exists(),
        worker,
        "the worker to issue the certificate",
    )
    certificate.refresh_from_db()
    return certificate


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def assert_no_local_files(worker, web: LocalFolders) -> None:
    assert web.files() == []
    assert LocalFolders(worker.workdir).files() == []
    assert list(worker.workdir.rglob("*.pdf")) == []
    assert list(worker.workdir.rglob("*.zip")) == []


def test_the_workers_certificate_is_downloaded_from_the_bucket_by_its_owner_only(
    s3_worker, s3_storage, s3_server, client, participant, outsider, cohort
):
    certificate = issue_through_the_worker(s3_worker, user=participant, cohort=cohort)
    assert s3_server.keys(PRIVATE_BUCKET) == [certificate.pdf.name]
    stored = s3_server.read(PRIVATE_BUCKET, certificate.pdf.name)
    assert hashlib.sha256(stored).hexdigest() == certificate.sha256
    # The worker read it back from the bucket to attach it to the email.
    wait_for(lambda: s3_worker.sent_mail(), s3_worker, "the certificate email")

    url = reverse("certificate_download", kwargs={"code": certificate.code})
    client.force_login(participant)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert {"private", "no-store"} <= cache_control(response)
    assert hashlib.sha256(body(response)).hexdigest() == certificate.sha256

    client.force_login(outsider)
    assert client.get(url).status_code == 404
    # Nor can anyone read the object without Relais's credentials.
    status, _body = s3_server.anonymous_get(PRIVATE_BUCKET, certificate.pdf.name)
    assert status == 403
    assert_no_local_files(s3_worker, s3_storage)


def test_a_cohort_zip_built_by_the_worker_is_downloaded_by_staff(
    s3_worker, s3_storage, s3_server, client, participant, admin_user, cohort
):
    certificate = issue_through_the_worker(s3_worker, user=participant, cohort=cohort)
    client.force_login(admin_user)
    reauthenticate(client)
    response = client.post("/admin/certificates/cohort-zip/", {"cohort": cohort.pk})
    assert response.status_code == 302
    job = CertificateJob.objects.get(cohort=cohort)
    wait_for(
        lambda: CertificateJob.objects.filter(pk=job.pk, status="done").exists(),
        s3_worker,
        "the worker to build the ZIP",
    )
    job.refresh_from_db()
    assert job.file.name in s3_server.keys(PRIVATE_BUCKET)

    download = client.get(f"/admin/certificates/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert {"private", "no-store"} <= cache_control(download)
    with zipfile.ZipFile(io.BytesIO(body(download))) as archive:
        assert archive.namelist() == [f"{certificate.code}.pdf"]
        pdf = archive.read(f"{certificate.code}.pdf")
    assert hashlib.sha256(pdf).hexdigest() == certificate.sha256

    client.force_login(participant)
    refused = client.get(f"/admin/certificates/jobs/{job.pk}/download/")
    assert refused.status_code in {302, 403}
    assert_no_local_files(s3_worker, s3_storage)
