"""The keys that sign credentials: a JWK set of Ed25519 private keys, from
RELAIS_CREDENTIAL_KEYS (the set itself) or the file
RELAIS_CREDENTIAL_KEYS_FILE. The last key of the set signs new credentials;
every key of the set stays published (its public half) so that each
credential signed earlier still verifies. Outside production a missing file
is generated on first use."""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from joserfc.errors import SecurityWarning
from joserfc.jwk import KeySetSerialization, OKPKey

ALGORITHM = "EdDSA"

# joserfc warns that RFC 9864 names this algorithm "Ed25519" now; wallets
# and PyJWT know only "EdDSA" so far (docs/credentials.md).
warnings.filterwarnings("ignore", category=SecurityWarning, message=".*EdDSA.*")


def key_new() -> dict:
    """A new Ed25519 private key as a JWK, named by its thumbprint."""
    key = OKPKey.generate_key("Ed25519", parameters={"use": "sig"})
    return {**key.as_dict(private=True), "kid": key.thumbprint()}


def keys_read_file(path: Path) -> list[dict]:
    try:
        return json.loads(path.read_text())["keys"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"RELAIS_CREDENTIAL_KEYS_FILE={path}: cannot read a JWK set there "
            f"({exc}). `python manage.py credential_keys generate --file {path}` "
            "makes one."
        ) from exc


def keys_write_file(path: Path, keys: list[dict], *, replace: bool) -> bool:
    """Write the key set to `path`, readable by its owner only. Without
    `replace`, a file that exists already is kept (False): of two processes
    generating at once, one set wins and both use it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".keys-")
    try:
        with os.fdopen(fd, "w") as handle:
            json.dump({"keys": keys}, handle, indent=2)
        os.chmod(tmp, 0o600)
        if replace:
            os.replace(tmp, path)
            return True
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        return True
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


@lru_cache(maxsize=8)
def _keys(source: str, path: str, mtime: float, generate: bool) -> tuple[OKPKey, ...]:
    if source:
        try:
            raw = json.loads(source)["keys"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ImproperlyConfigured(
                "RELAIS_CREDENTIAL_KEYS must be a JWK set: "
                '{"keys": [{"kty": "OKP", "crv": "Ed25519", ...}]}.'
            ) from exc
    else:
        file = Path(path)
        if not file.exists():
            if not generate:
                raise ImproperlyConfigured(
                    f"RELAIS_CREDENTIAL_KEYS_FILE={file} does not exist. "
                    f"`python manage.py credential_keys generate --file {file}` "
                    "makes it."
                )
            keys_write_file(file, [key_new()], replace=False)
        raw = keys_read_file(file)
    keys = []
    for entry in raw:
        try:
            key = OKPKey.import_key(entry)
        except Exception as exc:
            raise ImproperlyConfigured(
                f"A credential key is not an Ed25519 JWK ({exc})."
            ) from exc
        if not key.is_private:
            raise ImproperlyConfigured(
                "A credential key lacks its private part (d): Relais needs the "
                "private keys; it publishes their public halves itself."
            )
        keys.append(key)
    if not keys:
        raise ImproperlyConfigured("The credential key set is empty.")
    return tuple(keys)


def signing_keys() -> tuple[OKPKey, ...]:
    """Every key of the set, oldest first; the last one signs."""
    path = settings.RELAIS_CREDENTIAL_KEYS_FILE
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = 0.0
    return _keys(
        settings.RELAIS_CREDENTIAL_KEYS,
        path,
        mtime,
        settings.RELAIS_CREDENTIAL_KEYS_GENERATE,
    )


def kid(key: OKPKey) -> str:
    return key.kid or key.thumbprint()


def public_jwks(keys: tuple[OKPKey, ...] | None = None) -> KeySetSerialization:
    """The public halves, as published at /credentials/keys.json."""
    return {
        "keys": [
            {**key.as_dict(private=False), "kid": kid(key), "alg": ALGORITHM}
            for key in (keys if keys is not None else signing_keys())
        ]
    }
