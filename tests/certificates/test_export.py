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
