"""Credentials as VC-JWTs (W3C VC-JOSE-COSE): the credential itself is the
JWT's payload, signed with the issuer's current Ed25519 key (EdDSA), the
key named in the header by its thumbprint (kid), which /credentials/keys.json
publishes."""

from __future__ import annotations

import json

from joserfc import jws
from joserfc.jwk import OKPKey

from .keys import ALGORITHM, kid, signing_keys

CREDENTIAL_MEDIA_TYPE = "vc+jwt"


def sign(document: dict, *, key: OKPKey | None = None) -> tuple[str, str]:
    """The compact JWS of `document` and the kid of the key that signed it."""
    key = key or signing_keys()[-1]
    header = {"alg": ALGORITHM, "typ": CREDENTIAL_MEDIA_TYPE, "kid": kid(key)}
    payload = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    token = jws.serialize_compact(header, payload.encode(), key, algorithms=[ALGORITHM])
    return token, kid(key)
