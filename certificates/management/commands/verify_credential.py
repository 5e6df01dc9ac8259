"""Check a credential file (.json or .jwt) as a third party would: the
signature against this issuer's keys, or offline against a given public
key set (--keys), then its revocation status. Exit status 0 when valid."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from certificates.credentials.verify import NotACredential, credential_verify


class Command(BaseCommand):
    help = "Verify a signed credential file."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--keys", help="a public JWK set file (keys.json)")
        parser.add_argument("--language", default="en")

    def handle(self, *args, file: str, keys: str | None, language: str, **options):
        translation.activate(language)
        try:
            data = Path(file).read_bytes()
            jwks = json.loads(Path(keys).read_text()) if keys else None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            verdict = credential_verify(data, jwks=jwks)
        except NotACredential as exc:
            raise CommandError(str(exc)) from exc
        lines = [
            ("signature", "valid" if verdict.signature_valid else "NOT VALID"),
            ("issuer", verdict.issuer),
            ("holder", verdict.holder),
            ("achievement", verdict.achievement),
            ("issued", verdict.valid_from.isoformat() if verdict.valid_from else ""),
            (
                "revoked",
                "unknown" if verdict.revoked is None else str(verdict.revoked).lower(),
            ),
            ("expired", str(verdict.expired).lower()),
            ("certificate", verdict.code),
        ]
        for label, value in lines:
            self.stdout.write(f"{label}: {value}")
        if verdict.signature_valid and verdict.revoked is None:
            raise CommandError(
                _(
                    "The signature is valid, but its revocation status could not be read."
                )
            )
        if not verdict.valid:
            raise CommandError(_("The credential is not valid."))
        self.stdout.write(self.style.SUCCESS(_("The credential is valid.")))
