"""Create the default site: locales for every language, an English home page
as the site root and its translations, and the aliases that mirror each
course in the languages it has no translation in (courses/languages.py),
and the "Course editors" role on the course catalogues (courses/roles.py).
Idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from courses.languages import all_course_aliases_ensure
from courses.roles import course_editors_ensure
from home.services import site_ensure


class Command(BaseCommand):
    help = "Create the locales, the home page and the default site (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            site = site_ensure()
            aliases = all_course_aliases_ensure()
            course_editors_ensure()
        self.stdout.write(
            f"Site ready: {site.hostname}:{site.port} -> {site.root_page.title} "
            f"({len(settings.LANGUAGES)} languages; {aliases} course pages "
            "mirrored in other languages)"
        )
