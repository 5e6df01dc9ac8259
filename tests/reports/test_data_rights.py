"""A deleted account's name leaves the stored enrolment lists
(reports/data_rights.py); the staff's exports page says why a list is gone."""

from __future__ import annotations

import pytest

from accounts.services import user_anonymise
from reports.models import ExportJob, private_storage
from reports.services import export_job_build, export_job_request
from tests.conftest import reauthenticate
from tests.factories import make_enrolment

pytestmark = pytest.mark.django_db

BASE = "/admin/programme-reports/"


def build(user, kind: str, capture) -> ExportJob:
    with capture(execute=False):
        job = export_job_request(user=user, kind=kind, fmt="csv", params={})
    built = export_job_build(job_id=job.pk)
    assert built is not None and built.file
    return built


def test_deleting_an_account_deletes_the_enrolment_lists_that_name_it(
    client, admin_user, participant, programme, django_capture_on_commit_callbacks
):
    make_enrolment(user=participant, course=programme.integration)
    listing = build(admin_user, "enrolment_list", django_capture_on_commit_callbacks)
    totals = build(admin_user, "enrolments", django_capture_on_commit_callbacks)
    storage = private_storage()  # where reports stores them
    assert "Alice" in storage.open(listing.file.name).read().decode("utf-8-sig")

    user_anonymise(user=participant)

    listing_name = listing.file.name
    listing.refresh_from_db()
    totals.refresh_from_db()
    assert not listing.file and not storage.exists(listing_name)
    assert totals.file and storage.exists(totals.file.name)  # names nobody
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(f"{BASE}exports/").content.decode()
    assert "it listed someone who has since deleted their account" in page
    download = client.get(f"{BASE}exports/{listing.pk}/download/", follow=True)
    assert download.status_code == 404


def test_an_enrolment_list_being_built_is_built_again(
    admin_user, participant, programme, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    make_enrolment(user=participant, course=programme.integration)
    job = ExportJob.objects.create(
        requested_by=admin_user,
        kind="enrolment_list",
        format="csv",
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now(),
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user_anonymise(user=participant)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.PENDING and job.started_at is None
    assert callbacks  # its build is queued again after the commit
