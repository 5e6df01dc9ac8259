"""The credential for people: the public documents a verifier fetches, the
holder's downloads and LinkedIn link, the verification page's upload and
paste, and `manage.py verify_credential`."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from certificates.credentials import credential_current
from certificates.credentials.keys import key_new
from certificates.models import Credential
from tests.certificates.credentials_helpers import decode_with_pyjwt

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(issued):
    return credential_current(certificate=issued).jwt


def test_the_public_documents_answer_without_signing_in(client, issued, token):
    issuer = client.get("/credentials/issuer.json")
    assert issuer.status_code == 200
    assert issuer["Content-Type"] == "application/ld+json"
    profile = issuer.json()
    assert profile["id"] == "http://testserver/credentials/issuer.json"
    assert "Profile" in profile["type"]
    keys = client.get("/credentials/keys.json").json()
    assert all("d" not in key for key in keys["keys"])  # never the private part
    claims = decode_with_pyjwt(token, keys)
    achievement_id = claims["credentialSubject"]["achievement"]["id"]
    achievement = client.get(urlsplit(achievement_id).path)
    assert achievement.status_code == 200
    assert achievement.json()["name"] == "Integration of migrants"
    assert achievement.json()["id"] == achievement_id


@pytest.mark.parametrize(
    "path",
    [
        "/credentials/achievements/00000000-0000-0000-0000-000000000000/course.json",
        "/credentials/achievements/not-a-uuid/course.json",
    ],
)
def test_an_unknown_achievement_is_404(client, issued, path):
    assert client.get(path).status_code == 404


def test_an_unknown_kind_of_achievement_is_404(client, issued, token):
    claims = decode_with_pyjwt(token, client.get("/credentials/keys.json").json())
    path = urlsplit(claims["credentialSubject"]["achievement"]["id"]).path
    assert client.get(path.replace("course.json", "diploma.json")).status_code == 404


def test_the_holder_downloads_the_credential_in_both_forms(
    client, participant, issued, token
):
    client.force_login(participant)
    as_json = client.get(f"/en/certificates/{issued.code}/credential.json")
    assert as_json.status_code == 200
    assert "attachment" in as_json["Content-Disposition"]
    assert as_json["Cache-Control"] == "private, no-store"
    envelope = json.loads(as_json.content)
    assert envelope["type"] == "EnvelopedVerifiableCredential"
    assert envelope["id"] == f"data:application/vc+jwt,{token}"
    as_jwt = client.get(f"/en/certificates/{issued.code}/credential.jwt")
    assert as_jwt.content.decode() == token


@pytest.mark.parametrize("form", ["credential.json", "credential.jwt"])
def test_nobody_else_downloads_a_credential(client, outsider, issued, form):
    url = f"/en/certificates/{issued.code}/{form}"
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert (
        client.get(f"/en/certificates/RLX-AAAA-BBBB-CCCC-DDDD/{form}").status_code
        == 404
    )


def test_the_dashboard_offers_the_credential_and_linkedin(client, participant, issued):
    client.force_login(participant)
    page = client.get("/en/dashboard/").content.decode()
    assert f"/en/certificates/{issued.code}/credential.json" in page
    (link,) = [
        part.split('"')[0]
        for part in page.split('href="')
        if part.startswith("https://www.linkedin.com/profile/add?")
    ]
    query = parse_qs(urlsplit(link.replace("&amp;", "&")).query)
    assert query["name"] == ["Integration of migrants"]
    assert query["certId"] == [issued.code]
    assert query["certUrl"] == [
        f"http://testserver/en/certificates/verify/{issued.code}/"
    ]
    assert query["issueYear"] == [str(issued.issued_at.year)]


def test_the_verification_page_offers_downloads_to_the_holder_only(
    client, participant, outsider, issued
):
    url = f"/en/certificates/verify/{issued.code}/"
    download = f"/en/certificates/{issued.code}/credential.json"
    assert download not in client.get(url).content.decode()
    client.force_login(outsider)
    assert download not in client.get(url).content.decode()
    client.force_login(participant)
    assert download in client.get(url).content.decode()


def verify(client, **data):
    return client.post("/fr/certificates/verify/credential/", data)


def test_an_uploaded_credential_is_checked_in_the_visitors_language(client, token):
    file = SimpleUploadedFile("c.jwt", token.encode())
    response = verify(client, credential=file)
    assert response.status_code == 200
    page = response.content.decode()
    assert "La signature est valide" in page
    assert "Alice Mbeki" in page and "Integration of migrants" in page


def test_a_pasted_jwt_and_the_json_file_are_checked_alike(
    client, participant, issued, token
):
    assert "La signature est valide" in verify(client, jwt=token).content.decode()
    client.force_login(participant)
    envelope = client.get(f"/en/certificates/{issued.code}/credential.json").content
    file = SimpleUploadedFile("c.json", envelope, content_type="application/json")
    assert "La signature est valide" in verify(client, credential=file).content.decode()


def test_a_revoked_credential_is_said_revoked(client, issued, token, admin_user):
    from certificates.services import certificate_revoke

    certificate_revoke(certificate=issued, reason="Fraude", actor=admin_user)
    page = verify(client, jwt=token).content.decode()
    assert "révoqué" in page


def _forge(token: str) -> str:
    import base64

    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["credentialSubject"]["name"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def _other_issuer(token: str) -> str:
    from joserfc import jws
    from joserfc.jwk import OKPKey

    claims = decode_with_pyjwt(token, _keys())
    claims["issuer"] = {"id": "https://badges.example.org/issuer", "name": "Example U"}
    key = OKPKey.import_key(key_new())
    return jws.serialize_compact(
        {"alg": "EdDSA", "kid": "x"},
        json.dumps(claims).encode(),
        key,
        algorithms=["EdDSA"],
    )


def _keys() -> Any:
    from certificates.credentials.keys import public_jwks

    return public_jwks()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_forge, "La signature ne correspond pas"),
        (lambda t: t[: len(t) // 2], "pas un titre complet"),
        (lambda t: t.rsplit(".", 1)[0], "pas un titre complet"),
        (_other_issuer, "délivré par Example U"),
        (lambda t: '{"name": "not a credential"}', "pas un titre signé"),
        (lambda t: "{broken", "pas un JSON valide"),
    ],
    ids=[
        "tampered",
        "truncated",
        "two parts",
        "other issuer",
        "other json",
        "bad json",
    ],
)
def test_bad_credentials_get_a_clear_message_and_nothing_is_stored(
    client, token, make, message
):
    before = Credential.objects.count()
    response = verify(client, jwt=make(token))
    assert message in response.content.decode()
    assert Credential.objects.count() == before


def test_a_ten_megabyte_upload_is_refused_as_too_large(client, issued):
    before = Credential.objects.count()
    big = SimpleUploadedFile("big.json", b"{" + b" " * (10 * 1024 * 1024) + b"}")
    response = verify(client, credential=big)
    assert response.status_code == 400
    assert "trop volumineux" in response.content.decode()
    assert Credential.objects.count() == before


def run_verify(credential_file, keys_file) -> str:
    out = StringIO()
    try:
        call_command(
            "verify_credential",
            str(credential_file),
            "--keys",
            str(keys_file),
            stdout=out,
        )
    except CommandError as exc:
        return out.getvalue() + f"ERROR: {exc}"
    return out.getvalue()


def test_the_command_line_verifies_offline_with_a_given_key_set(
    tmp_path, client, issued, token
):
    credential_file = tmp_path / "credential.jwt"
    credential_file.write_text(token)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(client.get("/credentials/keys.json").content.decode())
    out = run_verify(credential_file, keys_file)
    assert "signature: valid" in out and "holder: Alice Mbeki" in out
    assert "The credential is valid." in out and "ERROR" not in out

    credential_file.write_text(_forge(token))
    out = run_verify(credential_file, keys_file)
    assert "signature: NOT VALID" in out
    assert "ERROR: The credential is not valid." in out

    # Another issuer's key set: the signature cannot hold.
    other = {"keys": [{k: v for k, v in key_new().items() if k != "d"}]}
    keys_file.write_text(json.dumps(other))
    credential_file.write_text(token)
    assert "signature: NOT VALID" in run_verify(credential_file, keys_file)


def test_offline_another_sites_credential_is_checked_without_its_status(
    tmp_path, client, issued, token, settings
):
    credential_file = tmp_path / "credential.jwt"
    credential_file.write_text(token)
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(client.get("/credentials/keys.json").content.decode())
    settings.SITE_URL = "https://another-relais.example.org"
    out = run_verify(credential_file, keys_file)
    assert "signature: valid" in out and "revoked: unknown" in out
    assert "revocation status could not be read" in out
