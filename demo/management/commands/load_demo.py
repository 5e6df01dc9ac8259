"""Load the demo content: the site, the two flagship courses, resources and
the train-the-trainer cascade. Idempotent: a second run changes nothing.

Each app's demo data is a module of this package with a `load(stdout, debug)`
function; they run in dependency order."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from courses.languages import all_course_aliases_ensure
from demo import (
    accounts,
    cascades,
    certificates,
    courses,
    enrolment,
    reports,
    resources,
)
from home.services import site_ensure

DEMO_MODULES = [
    accounts,
    resources,
    courses,
    enrolment,
    cascades,
    certificates,
    reports,
]


class Command(BaseCommand):
    help = "Load the demo content (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            site_ensure()
            for module in DEMO_MODULES:
                module.load(stdout=self.stdout, debug=settings.DEBUG)
            accounts.load_editor(stdout=self.stdout, debug=settings.DEBUG)
            # Each course mirrored in the languages it is not translated
            # into, so that their readers stay in them (courses/languages.py).
            all_course_aliases_ensure()
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
        if settings.DEBUG:
            self.stdout.write(start_up_summary())


def start_up_summary() -> str:
    """The short block `make run` ends its start-up with: where to go, the
    demo accounts, where the emails appear."""
    from demo.accounts import ADMIN_EMAIL, ADMIN_PASSWORD, EDITOR_EMAIL, EDITOR_PASSWORD
    from demo.cascades import TRAINER_EMAIL, TRAINER_PASSWORD
    from demo.enrolment import DEMO_PASSWORD, KEY, PEOPLE

    mail = (
        f"sent through {settings.EMAIL_HOST}"
        if settings.EMAIL_HOST
        else "printed in this terminal (no EMAIL_HOST)"
    )
    return "\n".join(
        [
            "",
            "-" * 72,
            f"Relais: {settings.SITE_URL}/  (staff: {settings.SITE_URL}/admin/)",
            f"  admin        {ADMIN_EMAIL} / {ADMIN_PASSWORD}",
            f"  editor       {EDITOR_EMAIL} / {EDITOR_PASSWORD} (Course editors)",
            f"  trainer      {TRAINER_EMAIL} / {TRAINER_PASSWORD}",
            f"  participant  {PEOPLE[0][0]} / {DEMO_PASSWORD}",
            f"  enrolment key {KEY}",
            f"  emails       {mail}; demo certificates are not mailed",
            "-" * 72,
        ]
    )
