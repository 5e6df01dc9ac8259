"""Checking a credential as a third party would: its signature against the
issuer's published keys, then what it says, then its bit in the status
list. Used by the verification page (an uploaded file or a pasted JWT) and
by `manage.py verify_credential`. Every way of failing is a message in the
active language; nothing is stored."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext as _
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet, KeySetSerialization

from .documents import CREDENTIAL_TYPE, bitstring_bit, issuer_id, status_list_document
from .issue import status_list_positions
from .keys import ALGORITHM, public_jwks

# A credential is a few kilobytes; anything past this is not one.
MAX_CREDENTIAL_BYTES = 64 * 1024
JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")
ENVELOPE_PREFIX = "data:application/vc+jwt,"


class NotACredential(ValueError):
    """The input cannot be checked at all; str() is the message."""


@dataclass
class Verdict:
    signature_valid: bool = False
    issuer: str = ""
    holder: str = ""
    achievement: str = ""
    valid_from: datetime | None = None
    valid_until: datetime | None = None
    revoked: bool | None = None  # None: the status could not be read
    expired: bool = False
    code: str = ""
    credential_id: str = ""

    @property
    def valid(self) -> bool:
        return self.signature_valid and self.revoked is False and not self.expired


def token_from(data: bytes | str) -> str:
    """The compact JWT in `data`: a JWT alone, or the .json Relais gives
    (an EnvelopedVerifiableCredential)."""
    if len(data) > MAX_CREDENTIAL_BYTES:
        raise NotACredential(
            _("This file is too large to be a credential (at most %(size)s KB).")
            % {"size": MAX_CREDENTIAL_BYTES // 1024}
        )
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotACredential(
                _("This file is not text: a credential is a .json or .jwt file.")
            ) from exc
    text = data.strip()
    if text.startswith("{"):
        try:
            envelope = json.loads(text)
        except ValueError as exc:
            raise NotACredential(_("This file is not valid JSON.")) from exc
        inner = envelope.get("id") if isinstance(envelope, dict) else None
        if not (isinstance(inner, str) and inner.startswith(ENVELOPE_PREFIX)):
            raise NotACredential(
                _(
                    "This JSON is not a signed credential: Relais's credential "
                    "files hold an EnvelopedVerifiableCredential with the JWT."
                )
            )
        text = inner[len(ENVELOPE_PREFIX) :]
    if not text:
        raise NotACredential(_("Choose a credential file or paste its JWT."))
    if not JWT_SHAPE.match(text):
        raise NotACredential(
            _(
                "This is not a complete credential: a JWT has three parts "
                "separated by dots. It may have been cut when copied."
            )
        )
    return text


def _part(segment: str) -> dict:
    try:
        value = json.loads(
            base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        )
    except (ValueError, binascii.Error) as exc:
        raise NotACredential(
            _("This is not a complete credential: a part of it cannot be read.")
        ) from exc
    if not isinstance(value, dict):
        raise NotACredential(_("This is not a credential."))
    return value


def _date(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _issuer_of(claims: dict) -> tuple[str, str]:
    issuer = claims.get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("id", "")), str(issuer.get("name", ""))
    return (str(issuer), str(issuer)) if issuer else ("", "")


def _status_revoked(entry) -> bool | None:
    """The credential's bit in this issuer's status list (None: no entry of
    ours). The list is built and decoded as a verifier would read it."""
    if not isinstance(entry, dict):
        return None
    url = str(entry.get("statusListCredential", ""))
    try:
        match = resolve(urlsplit(url).path)
        position = int(entry.get("statusListIndex", ""))
    except (Resolver404, ValueError, TypeError):
        return None
    ours = url.startswith(f"{settings.SITE_URL}/")
    if not ours or match.url_name != "credential_status_list":
        return None
    number = match.kwargs["number"]
    document = status_list_document(
        number=number, revoked=status_list_positions(number)
    )
    try:
        return bitstring_bit(document["credentialSubject"]["encodedList"], position)
    except ValueError:
        return None


def credential_verify(
    data: bytes | str, *, jwks: KeySetSerialization | None = None
) -> Verdict:
    """Check a credential against this issuer's keys, or against `jwks`, a
    public key set given offline (then of any issuer; the revocation status
    is read only for this issuer's). Raises NotACredential when it cannot be
    checked at all; otherwise says what holds."""
    token = token_from(data)
    header_segment, payload_segment, _signature = token.split(".")
    header = _part(header_segment)
    claims = _part(payload_segment)
    types = claims.get("type")
    if not isinstance(types, list) or not set(CREDENTIAL_TYPE) <= set(types):
        raise NotACredential(
            _("This is signed data, but not an Open Badges credential.")
        )
    their_id, their_name = _issuer_of(claims)
    ours = their_id == issuer_id()
    # Offline, with a key set given, any issuer's credential can be checked;
    # on the site, only this issuer's (its keys are the only ones it has).
    if not ours and jwks is None:
        raise NotACredential(
            _(
                "This credential was issued by %(issuer)s, not by this site: "
                "check it with its issuer."
            )
            % {"issuer": their_name or their_id or _("someone unnamed")}
        )
    verdict = Verdict(issuer=their_name)
    if header.get("alg") == ALGORITHM:
        keys = KeySet.import_key_set(jwks or public_jwks())
        try:
            jws.deserialize_compact(token, keys, algorithms=[ALGORITHM])
            verdict.signature_valid = True
        except (JoseError, ValueError):
            verdict.signature_valid = False
    subject = claims.get("credentialSubject")
    subject = subject if isinstance(subject, dict) else {}
    achievement = subject.get("achievement")
    verdict.achievement = (
        str(achievement.get("name", "")) if isinstance(achievement, dict) else ""
    )
    verdict.holder = str(subject.get("name", ""))
    verdict.valid_from = _date(claims.get("validFrom"))
    verdict.valid_until = _date(claims.get("validUntil"))
    verdict.expired = bool(verdict.valid_until and verdict.valid_until < timezone.now())
    verdict.credential_id = str(claims.get("id", ""))
    evidence = claims.get("evidence")
    if isinstance(evidence, list) and evidence and isinstance(evidence[0], dict):
        verdict.code = str(evidence[0].get("name", ""))
    if verdict.signature_valid and ours:
        verdict.revoked = _status_revoked(claims.get("credentialStatus"))
    return verdict
