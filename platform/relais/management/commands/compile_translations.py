"""Compile every .po file of the project into .mo, in pure Python (polib),
so that a fresh machine needs no GNU gettext tools."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

SOURCE_DIRS = [
    "locale",
    "platform",
    "courses",
    "enrolment",
    "certificates",
    "reports",
    "resources",
]


class Command(BaseCommand):
    help = "Compile .po translation catalogues to .mo (no gettext needed)."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        compiled = 0
        for folder in SOURCE_DIRS:
            for po_path in (base / folder).rglob("LC_MESSAGES/*.po"):
                if ".venv" in po_path.parts:
                    continue
                mo_path = po_path.with_suffix(".mo")
                if (
                    mo_path.exists()
                    and mo_path.stat().st_mtime >= po_path.stat().st_mtime
                ):
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        self.stdout.write(f"Translations compiled: {compiled} catalogue(s) updated.")
