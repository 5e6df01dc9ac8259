"""The JSON documents of Open Badges 3.0 (on the W3C Verifiable Credentials
data model 2.0) that Relais issues and publishes: a certificate's
OpenBadgeCredential, the issuer's Profile, an Achievement, and the
revocation status list. Plain dicts; signing is sign.py's."""

from __future__ import annotations

import base64
import gzip
import hashlib
import secrets
import uuid
from datetime import UTC
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ..links import ISSUER, verify_url
from ..models import Certificate

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CREDENTIAL_TYPE = ["VerifiableCredential", "OpenBadgeCredential"]
# A status list holds this many entries (the specification's minimum size,
# 16 KB uncompressed, so that one entry cannot be told from its neighbours).
STATUS_LIST_SIZE = 131072
# Identities of trainers in credentials: stable, and not their account id.
TRAINER_NAMESPACE = uuid.UUID("4a0e8f52-8a4b-4f7d-9d43-6a3c1f0b7e21")


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def issuer_id() -> str:
    return absolute(reverse("credential_issuer"))


def issuer_profile() -> dict:
    """The issuer, as credentials name it and /credentials/issuer.json
    publishes it."""
    return {
        "id": issuer_id(),
        "type": ["Profile"],
        "name": ISSUER,
        "url": settings.SITE_URL + "/",
    }


def issuer_document() -> dict:
    """The issuer's Profile as a JSON-LD document, with where its keys are."""
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        **issuer_profile(),
        "description": _("Learning platform of capacity-building programmes."),
        "verificationMethod": absolute(reverse("credential_keys")),
    }


def status_list_url(number: int) -> str:
    return absolute(reverse("credential_status_list", kwargs={"number": number}))


def status_entry(index: int) -> dict:
    number, position = divmod(index, STATUS_LIST_SIZE)
    url = status_list_url(number)
    return {
        "id": f"{url}#{position}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(position),
        "statusListCredential": url,
    }


def achievement_url(*, translation_key, kind: str) -> str:
    return absolute(
        reverse(
            "credential_achievement",
            kwargs={"key": translation_key, "kind": kind},
        )
    )


def achievement(*, course, kind: str, title: str, hours: str) -> dict:
    """What was achieved: a course completed, or a training session of a
    train-the-trainer programme attended. `title` and `hours` as frozen in
    the certificate's facts; the description from the course page."""
    if kind == Certificate.Kind.ATTENDANCE:
        narrative = _(
            "Attended a training session of %(course)s (%(hours)s hours), "
            "confirmed by its trainer."
        ) % {"course": title, "hours": hours}
    else:
        narrative = _(
            "Completed every lesson and passed every quiz of %(course)s "
            "(%(hours)s hours)."
        ) % {"course": title, "hours": hours}
    return {
        "id": achievement_url(translation_key=course.translation_key, kind=kind),
        "type": ["Achievement"],
        "achievementType": "Certificate"
        if kind == Certificate.Kind.ATTENDANCE
        else "Course",
        "name": title,
        "description": course.summary or title,
        "criteria": {"narrative": narrative},
        "inLanguage": course.locale.language_code,
        "hours": hours,
        "creator": issuer_profile(),
    }


def email_identity(email: str) -> dict:
    """The holder's address as a salted SHA-256: a verifier who knows the
    address can check it; nobody can read it."""
    salt = secrets.token_hex(8)
    digest = hashlib.sha256(f"{email.strip().lower()}{salt}".encode()).hexdigest()
    return {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": salt,
    }


def name_identity(name: str) -> dict:
    return {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": name,
    }


def credential_subject(*, certificate: Certificate, course, facts: dict) -> dict:
    kind = facts.get("kind", certificate.kind)
    identifiers = []
    if facts.get("name"):
        identifiers.append(name_identity(facts["name"]))
    email = ""
    if certificate.kind == Certificate.Kind.ATTENDANCE and certificate.attendee:
        email = certificate.attendee.email
    elif certificate.enrolment is not None:
        email = certificate.enrolment.user.email
    if email:
        identifiers.append(email_identity(email))
    subject = {
        "type": ["AchievementSubject"],
        "name": facts.get("name") or None,
        "identifier": identifiers,
        "achievement": achievement(
            course=course,
            kind=kind,
            title=facts.get("course", course.title),
            hours=facts.get("hours", ""),
        ),
        "activityEndDate": f"{facts['date']}T00:00:00Z" if facts.get("date") else None,
    }
    if kind == Certificate.Kind.ATTENDANCE and certificate.attendee:
        cohort = certificate.attendee.session.cohort
        if cohort.trainer_id:
            # The trainer who ran the session assessed the attendance.
            subject["source"] = {
                "id": f"urn:uuid:{uuid.uuid5(TRAINER_NAMESPACE, str(cohort.trainer_id))}",
                "type": ["Profile"],
                "name": facts.get("trainer", ""),
            }
        subject["cascade"] = {
            "name": facts.get("cascade", ""),
            "cohort": facts.get("cohort", ""),
            "country": facts.get("country", ""),
        }
    return {key: value for key, value in subject.items() if value is not None}


def credential_document(
    *,
    certificate: Certificate,
    course,
    facts: dict,
    uid: uuid.UUID,
    index: int,
    issued_at,
) -> dict:
    """The OpenBadgeCredential of an issued certificate, from its frozen
    facts. `index` is its entry in the status list."""
    when = issued_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    verification = verify_url(code=certificate.code, language=certificate.language)
    return {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": f"urn:uuid:{uid}",
        "type": CREDENTIAL_TYPE,
        "issuer": issuer_profile(),
        "validFrom": when,
        "awardedDate": when,
        "name": facts.get("course", course.title),
        "credentialSubject": credential_subject(
            certificate=certificate, course=course, facts=facts
        ),
        "credentialStatus": status_entry(index),
        "evidence": [
            {
                "id": verification,
                "type": ["Evidence"],
                "name": certificate.code,
                "description": _("The certificate's public verification page."),
            }
        ],
    }


def bitstring_encode(positions: set[int], size: int = STATUS_LIST_SIZE) -> str:
    """The status list's encodedList: bit i (from the left of the first byte)
    set for each position, GZIP-compressed, base64url without padding, with
    the multibase prefix "u"."""
    bits = bytearray(size // 8)
    for position in positions:
        bits[position // 8] |= 0x80 >> (position % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bitstring_bit(encoded: str, position: int) -> bool:
    """Read one bit of an encodedList (what a verifier does)."""
    if not encoded.startswith("u"):
        raise ValueError("encodedList is not base64url multibase")
    data = encoded[1:]
    packed = base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    bits = gzip.decompress(packed)
    if position // 8 >= len(bits):
        raise ValueError("status list index outside the list")
    return bool(bits[position // 8] & (0x80 >> (position % 8)))


def status_list_document(*, number: int, revoked: set[int]) -> dict:
    """The BitstringStatusListCredential of list `number`; `revoked` holds
    the positions in it whose credential is revoked."""
    url = status_list_url(number)
    return {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_profile(),
        "validFrom": timezone.now().astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": bitstring_encode(revoked),
        },
    }


def linkedin_url(certificate: Certificate) -> str:
    """LinkedIn's "add a certification" form, filled in (a plain link)."""
    issued = certificate.issued_at
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": certificate.facts.get("course", ""),
        "organizationName": ISSUER,
        "certId": certificate.code,
        "certUrl": verify_url(code=certificate.code, language=certificate.language),
    }
    if issued:
        query |= {"issueYear": str(issued.year), "issueMonth": str(issued.month)}
    return "https://www.linkedin.com/profile/add?" + urlencode(query)
