"""Load the demo content: the site, the two flagship courses, resources and
the train-the-trainer cascade. Idempotent: a second run changes nothing.

Each app owns its demo data in a `demo` module with a `load(stdout)`
function; they run in dependency order."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from home.services import site_ensure

DEMO_MODULES = [
    "accounts.demo",
    "resources.demo",
    "courses.demo",
    "enrolment.demo",
    "enrolment.cascades.demo",
    "certificates.demo",
    "reports.demo",
]


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            site_ensure()
            for name in DEMO_MODULES:
                try:
                    module = importlib.import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name == name:
                        continue
                    raise
                module.load(stdout=self.stdout, debug=settings.DEBUG)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
