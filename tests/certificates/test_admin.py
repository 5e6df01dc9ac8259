from __future__ import annotations

import pytest
from django.core.files.storage import storages

from certificates.models import Certificate, CertificateJob
from tests.conftest import reauthenticate

pytestmark = pytest.mark.django_db

BASE = "/admin/certificates/"


def test_staff_see_the_list_filtered_by_status(staff, issued):
    assert issued.code in staff.get(BASE, {"status": "issued"}).content.decode()
    assert issued.code not in staff.get(BASE, {"status": "revoked"}).content.decode()


def test_the_list_filters_by_course_cohort_and_country(staff, issued, course, cohort):
    body = staff.get(
        BASE, {"course": course.pk, "cohort": cohort.pk, "country": "UG"}
    ).content.decode()
    assert issued.code in body
    assert issued.code not in staff.get(BASE, {"country": "BR"}).content.decode()


def test_staff_revoke_with_a_reason(staff, issued):
    response = staff.post(f"{BASE}{issued.pk}/revoke/", {"reason": "Fraud"})
    assert response.status_code == 302
    issued.refresh_from_db()
    assert (issued.status, issued.revoked_reason) == ("revoked", "Fraud")


def test_revoking_asks_staff_to_confirm_their_password_first(
    client, admin_user, issued
):
    client.force_login(admin_user)  # signed in, but not just now
    response = client.post(f"{BASE}{issued.pk}/revoke/", {"reason": "Fraud"})
    assert response.status_code == 302
    assert "/accounts/reauthenticate/" in response["Location"]
    issued.refresh_from_db()
    assert issued.status == "issued"
    # A staff PDF download asks the same, and once confirmed is never cached.
    response = client.get(f"{BASE}{issued.pk}/download/")
    assert "/accounts/reauthenticate/" in response["Location"]
    reauthenticate(client)
    response = client.get(f"{BASE}{issued.pk}/download/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }


def test_revoking_without_a_reason_changes_nothing(staff, issued):
    response = staff.post(f"{BASE}{issued.pk}/revoke/", {"reason": ""})
    assert response.status_code == 400
    issued.refresh_from_db()
    assert issued.status == "issued"


def test_staff_reissue_and_the_code_stays(staff, issued):
    old_hash = issued.sha256
    staff.post(f"{BASE}{issued.pk}/reissue/")
    issued.refresh_from_db()
    assert issued.events.filter(action="reissued").exists()
    assert issued.sha256 != old_hash
    assert Certificate.objects.get(code=issued.code).pk == issued.pk


def test_regenerating_a_course_shows_its_progress(
    staff, issued, course, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{BASE}regenerate/", {"course": course.pk})
    job = CertificateJob.objects.get()
    assert response.url == f"{BASE}jobs/{job.pk}/"
    body = staff.get(response.url).content.decode()
    assert "Done: 1 of 1 certificates" in body


def test_a_cohort_zip_is_downloadable_when_ready(
    staff, issued, cohort, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(f"{BASE}cohort-zip/", {"cohort": cohort.pk})
    job = CertificateJob.objects.get()
    assert job.status == "done"
    assert storages["private"].exists(job.file.name)
    assert "Download the ZIP" in staff.get(response.url).content.decode()
    download = staff.get(f"{BASE}jobs/{job.pk}/download/")
    assert download["Content-Type"] == "application/zip"


@pytest.mark.parametrize(
    "path",
    ["", "{pk}/", "{pk}/download/", "regenerate/", "cohort-zip/"],
)
def test_a_participant_is_refused_the_admin(client, issued, participant, path):
    client.force_login(participant)
    response = client.get(BASE + path.format(pk=issued.pk))
    assert response.status_code in {302, 403}
    if response.status_code == 302:
        assert "login" in response.url or response.url.rstrip("/") == "/admin"


def test_a_participant_cannot_revoke(client, issued, participant):
    client.force_login(participant)
    client.post(f"{BASE}{issued.pk}/revoke/", {"reason": "mine now"})
    issued.refresh_from_db()
    assert issued.status == "issued"


def test_an_anonymous_visitor_is_sent_to_sign_in(client, issued):
    response = client.get(f"{BASE}{issued.pk}/download/")
    assert response.status_code == 302
    assert "login" in response.url


def test_the_list_shows_a_certificate_without_cohort_and_the_jobs(
    staff, participant, course, django_capture_on_commit_callbacks
):
    """A self-paced participant has no cohort, and a course job no cohort:
    the list still renders (it answered 500 on both)."""
    from certificates.services import certificate_request_for_enrolment
    from tests.certificates.conftest import complete
    from tests.factories import make_enrolment

    enrolment = complete(make_enrolment(user=participant, course=course))
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request_for_enrolment(enrolment=enrolment)
        staff.post(f"{BASE}regenerate/", {"course": course.pk})
    certificate.refresh_from_db()
    assert certificate.status == "issued" and not certificate.facts.get("cohort")

    response = staff.get(BASE)
    assert response.status_code == 200
    row = response.content.decode().split(certificate.code, 1)[1].split("</tr>")[0]
    assert "—" in row and course.title in row
    assert f"{course.title}</a>" in response.content.decode()  # the job's line


def test_the_detail_page_names_the_facts_for_people(staff, issued):
    body = staff.get(f"{BASE}{issued.pk}/").content.decode()
    assert "Signatory&#x27;s title" in body and "Course completion" in body
    for key in ("signatory_title", "wording", "<dt>kind</dt>", "<dt>issuer</dt>"):
        assert key not in body


def test_the_dashboard_code_label_follows_french_typography(client, issued):
    client.force_login(issued.user)
    body = client.get("/fr/dashboard/").content.decode()
    assert "Code\u00a0: <code>" in body
