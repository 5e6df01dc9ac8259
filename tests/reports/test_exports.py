import csv
import io

import pytest
from openpyxl import load_workbook

from reports import exports
from reports.models import ExportJob, private_storage
from reports.services import export_job_build, export_job_request
from tests.conftest import reauthenticate

pytestmark = pytest.mark.django_db

BASE = "/admin/programme-reports/"


def csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_neutralise_prefixes_formula_like_cells_only():
    for value in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"]:
        assert exports.neutralise(value) == "'" + value
    assert exports.neutralise("Ministry") == "Ministry"
    assert exports.neutralise(-2) == -2


def test_the_report_csv_streams_the_same_totals_as_the_page(
    client, admin_user, programme
):
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(f"{BASE}enrolments/?by=country")
    response = client.get(f"{BASE}export/enrolments.csv?by=country")
    assert response.streaming
    rows = csv_rows(response)
    assert rows[0][0] == "Country"
    assert rows[-1][:2] == ["Total", str(page.context["totals"][1])]


def test_the_enrolment_list_has_one_row_per_enrolment_with_progress(
    client, admin_user, programme
):
    client.force_login(admin_user)
    reauthenticate(client)
    response = client.get(
        f"{BASE}export/enrolment_list.csv?course={programme.integration.pk}"
    )
    rows = csv_rows(response)
    assert len(rows) == 1 + 4
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email[programme.people[2].email][-1] == "25"
    assert by_email[programme.people[0].email][-1] == "100"


def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, admin_user, site):
    from tests.factories import UserFactory, make_course, make_enrolment

    course = make_course(title="Course")
    make_enrolment(user=UserFactory(institution="=HYPERLINK(1)"), course=course)
    client.force_login(admin_user)
    reauthenticate(client)
    rows = csv_rows(client.get(f"{BASE}export/enrolment_list.csv"))
    assert rows[1][4] == "'=HYPERLINK(1)"
    response = client.get(f"{BASE}export/enrolment_list.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cell = list(sheet.iter_rows(min_row=2, max_row=2))[0][4]
    assert cell.value == "'=HYPERLINK(1)"
    assert cell.data_type == "s"


def test_the_xlsx_report_opens_with_a_totals_row(client, admin_user, programme):
    client.force_login(admin_user)
    reauthenticate(client)
    response = client.get(f"{BASE}export/certificates.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    last = list(sheet.values)[-1]
    assert last[:4] == ("Total", 2, 1, 1)


def test_an_unknown_export_kind_is_404(client, admin_user):
    client.force_login(admin_user)
    reauthenticate(client)
    assert client.get(f"{BASE}export/passwords.csv").status_code == 404


def test_large_exports_become_a_job_built_off_the_request(
    client, admin_user, programme, monkeypatch, django_capture_on_commit_callbacks
):
    from reports.views import downloads

    monkeypatch.setattr(downloads, "SYNC_EXPORT_LIMIT", 3)
    client.force_login(admin_user)
    reauthenticate(client)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(f"{BASE}export/enrolment_list.csv?country=UG")
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.PENDING
    # The build is queued after the commit (eager in tests), not run inline.
    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 5
    assert job.filters == {"country": "UG"}
    page = client.get(f"{BASE}enrolments/")
    assert page.context["ready_exports"] == [job]
    download = client.get(f"{BASE}exports/{job.pk}/download/")
    rows = list(
        csv.reader(
            io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))
        )
    )
    assert len(rows) == 6


def test_building_a_job_twice_changes_nothing_the_second_time(
    admin_user, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = export_job_request(
            user=admin_user, kind="enrolment_list", fmt="xlsx", params={}
        )
    first = export_job_build(job_id=job.pk)
    assert first.status == ExportJob.Status.DONE
    name = first.file.name
    assert export_job_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.file.name == name and job.row_count == 8


def test_a_job_with_bad_filters_fails_with_a_reason(
    admin_user, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = export_job_request(
            user=admin_user, kind="completion", fmt="csv", params={"date_from": "x"}
        )
    job = export_job_build(job_id=job.pk)
    assert job.status == ExportJob.Status.FAILED
    assert job.error


def test_someone_elses_export_is_404(client, staff_member, admin_user, programme):
    job = ExportJob.objects.create(
        requested_by=admin_user, kind="completion", format="csv", status="done"
    )
    client.force_login(staff_member)
    reauthenticate(client)
    # Django's LocaleMiddleware turns a 404 under /admin/ into a redirect to the
    # language-prefixed path, which is a 404 too.
    response = client.get(f"{BASE}exports/{job.pk}/download/", follow=True)
    assert response.status_code == 404
    assert not getattr(response, "streaming", False)


# Transactional: the build is published on the real commit, before the view
# answers, as in production (not when a test transaction would end).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_broker_outage_while_queuing_an_export_tells_the_admin_and_the_sweep_builds_it(  # noqa: E501
    client, admin_user, programme, monkeypatch
):
    from datetime import timedelta
    from unittest import mock

    from django.contrib.messages import get_messages
    from django.utils import timezone
    from kombu.exceptions import OperationalError

    from reports.services import export_jobs_sweep
    from reports.tasks import build_export
    from reports.views import downloads

    monkeypatch.setattr(downloads, "SYNC_EXPORT_LIMIT", 3)
    client.force_login(admin_user)
    reauthenticate(client)
    refused = OperationalError("Error 111 connecting to 127.0.0.1. Refused.")
    with mock.patch.object(
        build_export, "apply_async", autospec=True, side_effect=refused
    ):
        response = client.get(f"{BASE}export/enrolment_list.csv?country=UG")
    assert response.status_code == 302
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "warning"
    assert "task queue is not answering" in str(message)
    job = ExportJob.objects.get()
    assert job.status == ExportJob.Status.PENDING

    # The broker is back; the sweep finds the job once it is overdue.
    assert export_jobs_sweep() == 0
    ExportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - timedelta(minutes=3)
    )
    assert export_jobs_sweep() == 1
    job.refresh_from_db()
    assert (job.status, job.row_count) == (ExportJob.Status.DONE, 5)
    assert export_jobs_sweep() == 0


def test_a_real_worker_builds_a_large_export(
    celery_worker, admin_user, monkeypatch, client
):
    from home.services import site_ensure
    from tests.reports.conftest import build_programme

    site_ensure()
    build_programme()
    job = export_job_request(
        user=admin_user, kind="enrolment_list", fmt="csv", params={}
    )
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        time.sleep(0.2)
    assert job.status == ExportJob.Status.DONE
    assert job.row_count == 8


def test_enrolment_dates_are_utc_minutes_in_csv_and_datetimes_in_xlsx(
    client, admin_user, programme
):
    from datetime import datetime

    client.force_login(admin_user)

    reauthenticate(client)
    query = f"?course={programme.integration.pk}"
    rows = csv_rows(client.get(f"{BASE}export/enrolment_list.csv{query}"))
    first = next(r for r in rows if r[2] == programme.people[0].email)
    assert first[10:12] == ["2025-01-05 12:00", "2025-01-15 12:00"]
    response = client.get(f"{BASE}export/enrolment_list.xlsx{query}")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = next(
        r
        for r in sheet.iter_rows(values_only=True)
        if r[2] == programme.people[0].email
    )
    assert cells[10] == datetime(2025, 1, 5, 12, 0)


def test_writing_a_csv_file_counts_its_rows_not_its_pieces(monkeypatch):
    monkeypatch.setattr(exports, "CSV_ROWS_PER_PIECE", 2)
    out = io.BytesIO()
    assert exports.write_csv(["n"], ([n] for n in range(5)), out) == 5
    assert out.getvalue().decode("utf-8-sig").split() == ["n", "0", "1", "2", "3", "4"]


def test_the_cohort_report_csv_has_every_cohort_even_when_the_page_is_cut(
    client, admin_user, programme, monkeypatch
):
    from reports.views import pages

    monkeypatch.setattr(pages, "ROWS_ON_PAGE", 2)
    client.force_login(admin_user)
    reauthenticate(client)
    page = client.get(f"{BASE}enrolments/?by=cohort")
    rows = csv_rows(client.get(f"{BASE}export/enrolments.csv?by=cohort"))
    assert len(page.context["rows"]) == 2
    assert [r[0] for r in rows[1:-1]] == ["No cohort", "Gulu", "Lira", "ToT Kampala"]
    assert rows[-1][:2] == ["Total", str(page.context["totals"][1])]


def test_an_export_claimed_by_a_live_build_is_left_alone(
    admin_user, programme, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        job = export_job_request(
            user=admin_user, kind="enrolment_list", fmt="csv", params={}
        )
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    assert export_job_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert (job.status, job.file.name) == (ExportJob.Status.RUNNING, "")


def test_an_export_claimed_by_a_dead_build_is_built_once(
    admin_user, programme, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        job = export_job_request(
            user=admin_user, kind="enrolment_list", fmt="csv", params={}
        )
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.RUNNING,
        started_at=timezone.now() - timedelta(minutes=11),
    )
    storage = private_storage()

    def files():
        return (
            set(storage.listdir("exports")[1]) if storage.exists("exports") else set()
        )

    before = files()
    assert export_job_build(job_id=job.pk).status == ExportJob.Status.DONE
    assert export_job_build(job_id=job.pk) is None
    job.refresh_from_db()
    assert job.row_count == 8
    assert files() - before == {job.file.name.rsplit("/", 1)[1]}
