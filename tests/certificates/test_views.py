from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from certificates.formatting import format_date
from certificates.models import Certificate
from certificates.receivers import dashboard_section
from certificates.services import certificate_revoke
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def verify_url(code):
    return f"/en/certificates/verify/{code}/"


def test_a_valid_certificate_shows_name_course_date_and_issuer(client, issued):
    response = client.get(verify_url(issued.code))
    body = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid." in body
    assert "Alice Mbeki" in body
    assert "Integration of migrants" in body
    # The date as the PDF prints it in English, never the ISO date.
    assert format_date(issued.facts["date"], "en") in body
    assert issued.facts["date"] not in body
    assert "Dr. A. Example" in body


def test_a_revoked_certificate_shows_the_date_and_reason(client, issued, admin_user):
    certificate_revoke(certificate=issued, reason="Issued in error", actor=admin_user)
    body = client.get(verify_url(issued.code)).content.decode()
    assert "has been revoked" in body
    assert "Issued in error" in body
    assert "This certificate is valid." not in body


def test_an_unknown_code_is_not_found(client, db):
    response = client.get(verify_url("RLX-AAAA-BBBB-CCCC-DDDD"))
    assert response.status_code == 404
    assert "No certificate has this code." in response.content.decode()


def test_a_pending_certificate_is_being_prepared(client, completed_enrolment):
    from certificates.services import certificate_request_for_enrolment

    certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    body = client.get(verify_url(certificate.code)).content.decode()
    assert "being prepared" in body


def test_a_differently_typed_code_redirects_to_the_canonical_page(client, issued):
    typed = issued.code.lower().replace("-", "")
    response = client.get(verify_url(typed))
    assert response.status_code == 302
    assert response.url == verify_url(issued.code)


def test_the_form_redirects_a_typed_code_with_spaces(client, issued):
    typed = " ".join(issued.code.split("-")[1:]).lower()
    response = client.get("/en/certificates/verify/", {"code": typed})
    assert response.status_code == 302
    assert response.url == verify_url(issued.code)


def test_the_form_explains_a_malformed_code(client, db):
    response = client.get("/en/certificates/verify/", {"code": "hello"})
    assert response.status_code == 400
    assert "This is not a certificate code." in response.content.decode()


def test_the_form_has_a_labelled_field(client, db):
    body = client.get("/en/certificates/verify/").content.decode()
    assert '<label for="id_code">' in body


def test_verification_is_rate_limited_per_ip(client, db):
    from certificates.views import VERIFY_LIMIT

    for _ in range(VERIFY_LIMIT):
        assert client.get(verify_url("RLX-AAAA-BBBB-CCCC-DDDD")).status_code == 404
    response = client.get(verify_url("RLX-AAAA-BBBB-CCCC-DDDD"))
    assert response.status_code == 429
    assert "Too many requests" in response.content.decode()


def test_the_owner_downloads_the_pdf(client, issued, participant):
    client.force_login(participant)
    response = client.get(f"/en/certificates/{issued.code}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_owners_pdf_is_never_kept_by_a_shared_cache(client, issued, participant):
    client.force_login(participant)
    response = client.get(f"/en/certificates/{issued.code}/download/")
    assert response.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert response["X-Content-Type-Options"] == "nosniff"


def test_staff_download_any_pdf(client, issued, admin_user):
    client.force_login(admin_user)
    assert client.get(f"/en/certificates/{issued.code}/download/").status_code == 200


def test_another_participant_cannot_download_it(client, issued, other_participant):
    client.force_login(other_participant)
    response = client.get(f"/en/certificates/{issued.code}/download/")
    assert response.status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, issued):
    response = client.get(f"/en/certificates/{issued.code}/download/")
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_the_owner_cannot_download_a_revoked_certificate(
    client, issued, participant, admin_user
):
    certificate_revoke(certificate=issued, reason="Fraud", actor=admin_user)
    client.force_login(participant)
    response = client.get(f"/en/certificates/{issued.code}/download/")
    assert response.status_code == 404


def test_the_dashboard_lists_the_certificate_with_its_links(
    client, issued, participant
):
    assert client.login(email=participant.email, password=PASSWORD)
    body = client.get("/en/dashboard/").content.decode()
    assert issued.code in body
    assert f"/en/certificates/{issued.code}/download/" in body


def test_the_dashboard_section_takes_one_query_whatever_the_count(
    issued, participant, rf
):
    from django.db import connection

    with CaptureQueriesContext(connection) as queries:
        sections = dashboard_section(request=rf.get("/"), user=participant)
        html = render_to_string(sections[0][0], {"section": sections[0][1]})
    assert len(queries) == 1
    assert issued.code in html
    assert [c.code for c in sections[0][1]["certificates"]] == [issued.code]


def test_the_dashboard_section_leaves_out_other_peoples_certificates(
    issued, other_participant, rf
):
    sections = dashboard_section(request=rf.get("/"), user=other_participant)
    assert sections[0][1]["certificates"] == []
    assert Certificate.objects.count() == 1
