"""Shared by the credential tests: read a credential as a third party does,
with other libraries than the one Relais signs with (PyJWT + cryptography)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import jwt as pyjwt
from jwt import PyJWK

SCHEMA = json.loads(
    (Path(__file__).parent / "schema" / "achievementcredential.json").read_text()
)


def decode_with_pyjwt(token: str, jwks: Any) -> dict:
    """Verify `token` against the published key set with PyJWT; raises
    pyjwt.InvalidSignatureError (or another InvalidTokenError) if it fails."""
    kid = pyjwt.get_unverified_header(token)["kid"]
    (entry,) = [key for key in jwks["keys"] if key["kid"] == kid]
    return pyjwt.decode(token, key=PyJWK(entry).key, algorithms=["EdDSA"])


def schema_errors(document: dict) -> list[str]:
    validator = jsonschema.Draft201909Validator(SCHEMA)
    return [error.message for error in validator.iter_errors(document)]
