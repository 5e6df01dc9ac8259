"""Sign a credential for every issued certificate that has none (those
issued before credentials existed, or while they were off)."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db.models import Exists, OuterRef

from certificates.credentials.issue import credential_issue
from certificates.models import Certificate, Credential
from certificates.services import certificate_load


class Command(BaseCommand):
    help = "Issue the missing credentials of issued certificates."

    def handle(self, *args, **options) -> None:
        missing = Certificate.objects.filter(status=Certificate.Status.ISSUED).exclude(
            Exists(Credential.objects.filter(certificate=OuterRef("pk")))
        )
        made = 0
        for pk in missing.values_list("pk", flat=True).iterator():
            if credential_issue(certificate=certificate_load(certificate_id=pk)):
                made += 1
        self.stdout.write(f"Issued {made} credential(s).")
