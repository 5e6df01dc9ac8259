"""The keys that sign credentials (docs/credentials.md):

credential_keys generate [--file PATH]   a new key set (printed, or written to PATH)
credential_keys rotate --file PATH       a new signing key; the old ones stay
credential_keys public                   the public key set Relais publishes
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from certificates.credentials.keys import (
    key_new,
    keys_read_file,
    keys_write_file,
    public_jwks,
)


class Command(BaseCommand):
    help = "Generate, rotate or show the keys that sign credentials."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["generate", "rotate", "public"])
        parser.add_argument("--file", help="the JWK set file to write or rotate")

    def handle(self, *args, action: str, file: str | None, **options) -> None:
        if action == "public":
            self.stdout.write(json.dumps(public_jwks(), indent=2))
            return
        if action == "generate":
            keys = [key_new()]
            if file is None:
                self.stdout.write(json.dumps({"keys": keys}))
                return
            if not keys_write_file(Path(file), keys, replace=False):
                raise CommandError(
                    f"{file} exists already: `credential_keys rotate --file {file}` "
                    "adds a key to it."
                )
            self.stdout.write(f"Wrote a new key set to {file}.")
            return
        if file is None:
            raise CommandError("rotate needs --file: the key set to add a key to.")
        path = Path(file)
        keys = [*keys_read_file(path), key_new()]
        keys_write_file(path, keys, replace=True)
        self.stdout.write(
            f"{path}: {len(keys)} keys; the new one ({keys[-1]['kid']}) signs from "
            "now on, every earlier one still verifies. Restart web and workers."
        )
