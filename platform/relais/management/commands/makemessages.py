"""Django's makemessages with the project's defaults: the whole tree minus
virtualenvs, tests and benchmarks, into locale/, and no fuzzy matching (a
guessed translation is worse than none: the translation test catches empty
entries, and fuzzy ones would slip through as wrong text)."""

from django.core.management.commands import makemessages

IGNORED = [".venv", "var", "node_modules", "tests", "bench", "staticfiles", "docs"]


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), *IGNORED]
        options.setdefault("no_obsolete", True)
        options["no_obsolete"] = True
        return super().handle(*args, **options)
