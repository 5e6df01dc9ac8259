"""The admin's certificate jobs (regenerate a course, ZIP a cohort): safe to
deliver twice, claimed like renders, and swept when the broker was down."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.core.files.storage import storages
from django.utils import timezone
from kombu.exceptions import OperationalError

from accounts.models import User
from certificates import services
from certificates.models import Certificate, CertificateEvent, CertificateJob
from certificates.services import certificate_request_for_enrolment
from certificates.tasks import run_certificate_job
from tests.conftest import reauthenticate
from tests.factories import make_enrolment

from .conftest import complete

pytestmark = pytest.mark.django_db

BASE = "/admin/certificates/"


@pytest.fixture
def three_issued(issued, course, cohort, django_capture_on_commit_callbacks):
    """The participant's issued certificate and two more in the same cohort."""
    for n in range(2):
        user = User.objects.create_user(email=f"p{n}@example.org", first_name=f"P{n}")
        enrolment = complete(make_enrolment(user=user, course=course, cohort=cohort))
        with django_capture_on_commit_callbacks(execute=True):
            certificate_request_for_enrolment(enrolment=enrolment)
    certificates = list(Certificate.objects.filter(status="issued").order_by("pk"))
    assert len(certificates) == 3
    return certificates


def reissues_per_certificate(certificates) -> list[int]:
    return [
        CertificateEvent.objects.filter(certificate=c, action="reissued").count()
        for c in certificates
    ]


def test_a_regenerate_job_delivered_twice_reissues_each_certificate_once(
    three_issued, course, admin_user, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("certificates.services.jobs.JOB_CHUNK", 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.certificates_regenerate_course(course=course, actor=admin_user)
        # A second delivery of the job's task, while the first is queued.
        run_certificate_job.delay(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    assert reissues_per_certificate(three_issued) == [1, 1, 1]
    assert run_certificate_job.delay(job.pk).get() == "nothing to do"
    job.refresh_from_db()
    assert job.done == 3
    assert reissues_per_certificate(three_issued) == [1, 1, 1]


def test_a_cohort_zip_delivered_twice_builds_one_zip(
    three_issued, cohort, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.cohort_zip_build(cohort=cohort, actor=admin_user)
        run_certificate_job.delay(job.pk)
    run_certificate_job.delay(job.pk)
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 3, 3)
    _dirs, zips = storages["private"].listdir("certificates/zips")
    assert zips == [job.file.name.rsplit("/", 1)[1]]
    with storages["private"].open(job.file.name, "rb") as handle:
        names = zipfile.ZipFile(handle).namelist()
    assert sorted(names) == sorted(f"{c.code}.pdf" for c in three_issued)


def test_a_job_claimed_by_a_live_run_is_left_alone(
    three_issued, course, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.certificates_regenerate_course(course=course, actor=admin_user)
    CertificateJob.objects.filter(pk=job.pk).update(
        status="running", claimed_at=timezone.now()
    )
    assert services.certificate_job_run(job_id=job.pk) is None
    assert reissues_per_certificate(three_issued) == [0, 0, 0]


def test_a_job_claimed_by_a_dead_run_is_taken_over(
    three_issued, course, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = services.certificates_regenerate_course(course=course, actor=admin_user)
    CertificateJob.objects.filter(pk=job.pk).update(
        status="running", claimed_at=timezone.now() - timedelta(minutes=11)
    )
    assert services.certificate_job_run(job_id=job.pk).status == "done"
    job.refresh_from_db()
    assert (job.done, job.claimed_at) == (3, None)
    assert reissues_per_certificate(three_issued) == [1, 1, 1]


def broker_refuses(task):
    """The broker refusing the publish, as kombu reports a refused connection."""
    return mock.patch.object(
        task,
        "apply_async",
        autospec=True,
        side_effect=OperationalError("Error 111 connecting to 127.0.0.1. Refused."),
    )


# Transactional: the job's task is published on the real commit, before the
# view answers, as in production (not when a test transaction would end).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("kind", ["regenerate", "cohort-zip"])
def test_a_broker_outage_while_queuing_a_job_tells_the_admin_and_the_sweep_runs_it(
    client, admin_user, issued, course, cohort, kind
):
    client.force_login(admin_user)
    reauthenticate(client)
    form = {"course": course.pk} if kind == "regenerate" else {"cohort": cohort.pk}
    with broker_refuses(run_certificate_job):
        response = client.post(f"{BASE}{kind}/", form)
    job = CertificateJob.objects.get()
    assert response.status_code == 302
    assert response.url == f"{BASE}jobs/{job.pk}/"
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "warning"
    assert "task queue is not answering" in str(message)
    assert (job.status, job.done) == ("queued", 0)

    # The broker is back; the sweep finds the job once it is overdue.
    assert services.certificates_sweep()["jobs"] == 0
    CertificateJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    assert services.certificates_sweep()["jobs"] == 1
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 1)
    assert services.certificates_sweep()["jobs"] == 0
