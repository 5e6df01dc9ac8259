"""Open Badges 3.0 credentials: issued with the PDF, signed, checked by
other libraries and the 1EdTech schema, revoked through the status list,
superseded on reissue, erased with the holder's name, still verifiable
after a key rotation."""

from __future__ import annotations

import base64
import json

import jwt as pyjwt
import pytest

from certificates.credentials import credential_current, credential_verify
from certificates.credentials.documents import bitstring_bit
from certificates.credentials.keys import public_jwks
from certificates.models import Certificate, Credential
from certificates.services import (
    certificate_reissue,
    certificate_restore,
    certificate_revoke,
)
from tests.certificates.credentials_helpers import decode_with_pyjwt, schema_errors

pytestmark = pytest.mark.django_db


def claims_of(credential: Credential) -> dict:
    return decode_with_pyjwt(credential.jwt, public_jwks())


def status_bit_published(client, claims: dict) -> bool:
    """Read the credential's bit as a verifier would: fetch the status list
    credential, check its signature, decode the bitstring."""
    entry = claims["credentialStatus"]
    response = client.get(
        entry["statusListCredential"].removeprefix("http://testserver")
    )
    assert response.status_code == 200
    keys = client.get("/credentials/keys.json").json()
    status = decode_with_pyjwt(response.content.decode(), keys)
    assert status["credentialSubject"]["statusPurpose"] == "revocation"
    return bitstring_bit(
        status["credentialSubject"]["encodedList"], int(entry["statusListIndex"])
    )


@pytest.fixture
def attendance(session, trainer, django_capture_on_commit_callbacks):
    from cascades.models import SessionAttendee
    from cascades.services import attendance_certificates_request

    SessionAttendee.objects.create(session=session, name="ليلى حداد")
    with django_capture_on_commit_callbacks(execute=True):
        attendance_certificates_request(session=session, requested_by=trainer)
    return Certificate.objects.filter(attendee__session=session).order_by("pk")


def test_an_issued_certificate_has_a_credential_valid_against_the_schema(issued):
    credential = credential_current(certificate=issued)
    assert credential is not None
    claims = claims_of(credential)
    assert schema_errors(claims) == []
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert claims["id"] == f"urn:uuid:{credential.uid}"
    assert claims["issuer"]["id"] == "http://testserver/credentials/issuer.json"
    subject = claims["credentialSubject"]
    assert subject["name"] == "Alice Mbeki"
    assert subject["achievement"]["name"] == "Integration of migrants"
    assert subject["achievement"]["hours"] == "6.0"
    assert subject["achievement"]["achievementType"] == "Course"
    assert subject["achievement"]["criteria"]["narrative"]
    # The address is there only as a salted hash.
    assert "alice@example.org" not in json.dumps(claims)
    email = next(
        i for i in subject["identifier"] if i["identityType"] == "emailAddress"
    )
    import hashlib

    expected = hashlib.sha256(f"alice@example.org{email['salt']}".encode()).hexdigest()
    assert email["identityHash"] == f"sha256${expected}"
    assert claims["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert claims["evidence"][0]["name"] == issued.code


def test_attendance_credentials_name_the_trainer_and_cascade_in_any_script(attendance):
    names = []
    for certificate in attendance:
        claims = claims_of(credential_current(certificate=certificate))
        assert schema_errors(claims) == []
        subject = claims["credentialSubject"]
        assert subject["achievement"]["achievementType"] == "Certificate"
        assert subject["source"]["name"] == "Tina Kamara"
        assert subject["cascade"]["cohort"] == "Kampala 2025"
        names.append(subject["name"])
    assert names == ["José Núñez Peña", "Айгерим Токтогулова", "ليلى حداد"]


def test_the_credential_is_stored_as_signed_with_its_hash(issued):
    import hashlib

    credential = credential_current(certificate=issued)
    assert credential.sha256 == hashlib.sha256(credential.jwt.encode()).hexdigest()
    assert credential.kid == pyjwt.get_unverified_header(credential.jwt)["kid"]


def _tampered(token: str, change) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    change(claims)
    edited = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{edited}.{signature}"


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["credentialSubject"].update(name="Mallory"),
        lambda c: c["credentialSubject"]["achievement"].update(hours="60.0"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["credentialStatus"].update(statusListIndex="0"),
        lambda c: c["credentialSubject"]["identifier"].pop(),
    ],
    ids=["name", "hours", "date", "status index", "identifier"],
)
def test_tampering_with_any_claim_breaks_the_signature(issued, change):
    token = credential_current(certificate=issued).jwt
    assert credential_verify(token).valid
    forged = _tampered(token, change)
    assert not credential_verify(forged).signature_valid
    with pytest.raises(pyjwt.InvalidSignatureError):
        decode_with_pyjwt(forged, public_jwks())


def test_revoking_flips_the_status_bit_and_restoring_flips_it_back(
    issued, admin_user, client
):
    claims = claims_of(credential_current(certificate=issued))
    token = credential_current(certificate=issued).jwt
    assert status_bit_published(client, claims) is False
    assert credential_verify(token).revoked is False

    certificate_revoke(certificate=issued, reason="Duplicate", actor=admin_user)
    assert status_bit_published(client, claims) is True
    verdict = credential_verify(token)
    assert verdict.signature_valid and verdict.revoked and not verdict.valid

    certificate_restore(certificate=issued, reason="Mistake", actor=admin_user)
    assert status_bit_published(client, claims) is False
    assert credential_verify(token).valid


def test_a_reissue_issues_a_new_credential_and_supersedes_the_old(
    issued, admin_user, client
):
    old = credential_current(certificate=issued)
    certificate_reissue(certificate=issued, actor=admin_user)
    new = credential_current(certificate=issued)
    assert new.pk != old.pk and new.jwt != old.jwt
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert old.jwt  # kept, as the history keeps each PDF's hash
    assert credential_verify(old.jwt).revoked is True
    assert credential_verify(new.jwt).valid
    assert status_bit_published(client, claims_of(new)) is False


def test_a_credential_signed_with_a_rotated_out_key_still_verifies(
    issued, tmp_path, settings
):
    from django.core.management import call_command

    keys = tmp_path / "keys.json"
    settings.RELAIS_CREDENTIAL_KEYS_FILE = str(keys)
    call_command("credential_keys", "generate", "--file", str(keys))
    from certificates.credentials.issue import credential_issue
    from certificates.services import certificate_load

    before = credential_issue(certificate=certificate_load(certificate_id=issued.pk))
    call_command("credential_keys", "rotate", "--file", str(keys))
    after = credential_issue(certificate=certificate_load(certificate_id=issued.pk))
    assert before.kid != after.kid
    published = public_jwks()
    assert [k["kid"] for k in published["keys"]] == [before.kid, after.kid]
    # Superseded by the second issue, but its signature still holds.
    assert credential_verify(before.jwt).signature_valid
    decode_with_pyjwt(before.jwt, published)
    assert credential_verify(after.jwt).valid


def test_erasing_the_holders_name_erases_the_credential(issued):
    from certificates.services import certificates_erase_names

    certificates_erase_names(
        certificates=Certificate.objects.filter(pk=issued.pk), detail="test"
    )
    credential = Credential.objects.get(certificate=issued)
    assert credential.jwt == "" and credential.erased_at is not None
    assert credential_current(certificate=issued) is None


def test_no_credential_when_credentials_are_off(
    completed_enrolment, settings, django_capture_on_commit_callbacks
):
    from certificates.services import certificate_request_for_enrolment

    settings.RELAIS_CREDENTIALS = False
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_request_for_enrolment(enrolment=completed_enrolment)
    certificate.refresh_from_db()
    assert certificate.status == "issued"
    assert not Credential.objects.filter(certificate=certificate).exists()
