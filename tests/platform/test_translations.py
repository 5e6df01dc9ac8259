"""Every interface string is translated in French, Spanish, Portuguese and
Russian: the catalogues in locale/<lang>/LC_MESSAGES/django.po have no empty
or fuzzy entry, and every msgid the code and templates use is in them.

The extraction is pure Python (ast for .py files, Django's own `templatize`
for templates), so no GNU gettext tools are needed to run it."""

from __future__ import annotations

import ast
import gc
import re
from functools import cache
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["fr", "es", "pt", "ru", "ar"]
SOURCE_DIRS = [
    "platform",
    "cascades",
    "courses",
    "enrolment",
    "certificates",
    "reports",
    "resources",
    "templates",
]
SKIP_PARTS = {"migrations", "__pycache__", "node_modules", ".venv"}

# gettext-family calls in Python: name -> (has context, has plural)
PY_CALLS = {
    "_": (False, False),
    "gettext": (False, False),
    "gettext_lazy": (False, False),
    "gettext_noop": (False, False),
    "ngettext": (False, True),
    "ngettext_lazy": (False, True),
    "pgettext": (True, False),
    "pgettext_lazy": (True, False),
    "npgettext": (True, True),
    "npgettext_lazy": (True, True),
}
_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
TEMPLATE_CALL = re.compile(
    rf"\b(_|gettext|ngettext|pgettext|npgettext)\(((?:\s*{_LITERAL}\s*,?)+)"
)
TEMPLATE_LITERAL = re.compile(_LITERAL)

Key = tuple[str, str]  # (msgctxt or "", msgid)


def _sources(suffix: str) -> list[Path]:
    files = []
    for folder in SOURCE_DIRS:
        for path in (ROOT / folder).rglob(f"*{suffix}"):
            if not SKIP_PARTS.intersection(path.parts):
                files.append(path)
    return sorted(files)


def _parse(path: Path) -> ast.Module:
    """ast.parse with the garbage collector held off: on Python 3.11.7 a
    collection inside compile() that runs a finaliser left by an earlier test
    (a Celery result unsubscribing from a stopped broker did, in CI) ends in
    "SystemError: AST constructor recursion depth mismatch"."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return ast.parse(path.read_text(), str(path))
    finally:
        if enabled:
            gc.enable()


def _python_msgids(path: Path) -> set[Key]:
    found = set()
    for node in ast.walk(_parse(path)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
        if name not in PY_CALLS:
            continue
        has_context, _plural = PY_CALLS[name]
        strings = [
            a.value
            for a in node.args
            if isinstance(a, ast.Constant) and isinstance(a.value, str)
        ]
        if has_context and len(strings) >= 2:
            found.add((strings[0], strings[1]))
        elif not has_context and strings:
            found.add(("", strings[0]))
    return found


def _template_msgids(path: Path) -> set[Key]:
    from django.utils.translation.template import templatize

    found = set()
    for name, args in TEMPLATE_CALL.findall(
        templatize(path.read_text(), origin=str(path))
    ):
        strings = [ast.literal_eval(lit) for lit in TEMPLATE_LITERAL.findall(args)]
        if name.startswith("np") or name.startswith("pg"):
            if len(strings) >= 2:
                found.add((strings[0], strings[1]))
        elif strings:
            found.add(("", strings[0]))
    return found


@cache
def used_msgids() -> dict[Key, str]:
    """Each msgid the code uses, with one place that uses it."""
    used: dict[Key, str] = {}
    for path in _sources(".py"):
        for key in _python_msgids(path):
            used.setdefault(key, str(path.relative_to(ROOT)))
    for path in _sources(".html") + _sources(".txt"):
        if "templates" not in path.parts:
            continue
        for key in _template_msgids(path):
            used.setdefault(key, str(path.relative_to(ROOT)))
    return used


def catalogue_path(language: str) -> Path:
    return ROOT / "locale" / language / "LC_MESSAGES" / "django.po"


def catalogue(language: str) -> polib.POFile:
    path = catalogue_path(language)
    assert path.exists(), f"no catalogue for {language}: {path.relative_to(ROOT)}"
    return polib.pofile(str(path))


def test_the_extractor_finds_strings_in_python_and_templates():
    used = used_msgids()
    assert ("", "Skip to main content") in used  # templates/base.html
    assert ("", "First name") in used  # platform/accounts/forms.py
    assert len(used) > 100


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_catalogue_entry_is_translated_and_not_fuzzy(language):
    po = catalogue(language)
    problems = []
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"empty plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"empty: {entry.msgid!r}")
    assert not problems, (
        f"{catalogue_path(language).relative_to(ROOT)}: {len(problems)} "
        "untranslated or fuzzy entries:\n" + "\n".join(problems[:40])
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_the_code_uses_is_in_the_catalogue(language):
    po = catalogue(language)
    present = {(entry.msgctxt or "", entry.msgid) for entry in po if not entry.obsolete}
    missing = sorted(
        (where, key) for key, where in used_msgids().items() if key not in present
    )
    assert not missing, (
        f"{len(missing)} strings used in the code are missing from "
        f"{catalogue_path(language).relative_to(ROOT)} (run makemessages):\n"
        + "\n".join(f"  {where}: {key[1]!r}" for where, key in missing[:40])
    )


def test_french_punctuation_keeps_its_space_on_the_same_line():
    """French puts a space before « : ; ? ! » and inside guillemets, one
    that must not break the line ("Code du certificat" on one line and ":"
    on the next): a no-break space, never an ordinary one."""
    breakable = re.compile(r" [:;?!»]|« ")
    problems = []
    for entry in catalogue("fr"):
        texts = [entry.msgstr, *entry.msgstr_plural.values()]
        problems += [text for text in texts if text and breakable.search(text)]
    assert not problems, "\n".join(problems[:20])
