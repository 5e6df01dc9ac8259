from __future__ import annotations

import pytest

from accounts.services import user_data_export
from certificates.services import certificate_revoke

pytestmark = pytest.mark.django_db


def test_the_data_export_lists_the_users_certificates(issued, participant):
    data = user_data_export(user=participant)
    (exported,) = data["certificates"]
    assert exported["code"] == issued.code
    assert exported["status"] == "issued"
    assert exported["course"] == "Integration of migrants"
    assert exported["completed_on"] == issued.facts["date"]
    assert exported["issued_at"] == issued.issued_at.isoformat()
    assert exported["revoked_at"] is None


def test_the_data_export_shows_a_revocation_and_its_reason(
    issued, participant, admin_user
):
    certificate_revoke(certificate=issued, reason="Identity fraud", actor=admin_user)
    (exported,) = user_data_export(user=participant)["certificates"]
    assert exported["status"] == "revoked"
    assert exported["revoked_reason"] == "Identity fraud"
    assert exported["revoked_at"] is not None


def test_the_data_export_holds_no_one_elses_certificates(issued, other_participant):
    assert user_data_export(user=other_participant)["certificates"] == []


def test_deleting_the_account_removes_the_name_and_pdf_but_keeps_the_certificate(
    issued, participant, client
):
    from django.core.files.storage import storages

    from accounts.services import user_anonymise

    pdf_name = issued.pdf.name
    storage = storages["private"]
    assert storage.exists(pdf_name)
    user_anonymise(user=participant)
    issued.refresh_from_db()
    assert issued.status == "issued" and issued.code
    assert issued.facts["name"] == "" and issued.facts["name_removed"] is True
    assert not storage.exists(pdf_name)
    assert issued.events.filter(action="anonymised").exists()
    page = client.get(f"/en/certificates/verify/{issued.code}/").content.decode()
    assert "Alice" not in page
    assert "Name removed at the holder" in page
