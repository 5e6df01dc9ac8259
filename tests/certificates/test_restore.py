"""A certificate revoked by mistake is restored by staff, with a reason
(issue 18, item 7): valid again with the same code and file, both acts in
its history, and the public verification page says valid and shows them."""

from __future__ import annotations

import pytest

from certificates.models import Certificate

pytestmark = pytest.mark.django_db

BASE = "/admin/certificates/"


@pytest.fixture
def revoked(staff, issued):
    staff.post(f"{BASE}{issued.pk}/revoke/", {"reason": "Wrong cohort"})
    issued.refresh_from_db()
    assert issued.status == Certificate.Status.REVOKED
    return issued


def test_staff_restore_a_revoked_certificate_with_a_reason(staff, revoked, client):
    pdf, code = revoked.pdf.name, revoked.code
    page = staff.get(f"{BASE}{revoked.pk}/").content.decode()
    assert f'action="{BASE}{revoked.pk}/restore/"' in page

    response = staff.post(f"{BASE}{revoked.pk}/restore/", {"reason": "Cohort fixed"})

    assert response.status_code == 302
    revoked.refresh_from_db()
    assert revoked.status == Certificate.Status.ISSUED
    assert (revoked.code, revoked.pdf.name) == (code, pdf)
    assert revoked.revoked_at is None and revoked.revoked_reason == ""
    actions = list(revoked.events.values_list("action", "detail"))
    assert ("revoked", "Wrong cohort") in actions
    assert ("restored", "Cohort fixed") in actions
    # And then it can be reissued, as any issued certificate.
    assert (
        f'action="{BASE}{revoked.pk}/reissue/"'
        in staff.get(f"{BASE}{revoked.pk}/").content.decode()
    )

    client.logout()
    verify = client.get(f"/en/certificates/verify/{code}/").content.decode()
    assert 'class="verify-result valid"' in verify
    assert "Revoked on" in verify and "Wrong cohort" in verify
    assert "Restored on" in verify and "Cohort fixed" in verify


def test_a_restore_without_a_reason_changes_nothing(staff, revoked):
    response = staff.post(f"{BASE}{revoked.pk}/restore/", {"reason": "  "})
    assert response.status_code == 400
    revoked.refresh_from_db()
    assert revoked.status == Certificate.Status.REVOKED
    assert not revoked.events.filter(action="restored").exists()


def test_an_issued_certificate_cannot_be_restored(staff, issued):
    response = staff.post(f"{BASE}{issued.pk}/restore/", {"reason": "Why not"})
    assert response.status_code == 400
    assert "Only a revoked certificate can be restored." in response.content.decode()
    assert not issued.events.filter(action="restored").exists()


def test_an_outsider_cannot_restore(client, revoked, participant):
    client.force_login(participant)
    response = client.post(f"{BASE}{revoked.pk}/restore/", {"reason": "Mine"})
    assert response.status_code in {302, 403}
    revoked.refresh_from_db()
    assert revoked.status == Certificate.Status.REVOKED
