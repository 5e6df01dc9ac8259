"""The browser harness: Debian's Chromium driven by Playwright against
pytest-django's live server, with a real Celery worker process when
PostgreSQL and Redis are configured (always in CI), axe-core for
accessibility, a request log for page weight and the no-external-request
rule, a record of Content-Security-Policy violations (none allowed), and
screenshots in tests/browser/screenshots/ (kept out of git).

Every test here is marked `browser`. Without Chromium they skip with the
reason, and the run's summary says in one line that they were not run
(under CI=true a skip fails the run, tests/conftest.py)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
CHROMIUM = os.environ.get("RELAIS_CHROMIUM", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_DIR = ROOT / "var" / "axe"
AXE_JS = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
HOST = "127.0.0.1"
VIEWPORTS = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 360, "height": 740},
}
PAGE_BUDGET = 200 * 1024  # bytes on the wire for one page's first load
# Each journey runs in English on a desktop and in another language on a
# phone, so both languages and both viewports are covered without running
# every combination; RELAIS_BROWSER_MATRIX=full runs all four.
FULL_MATRIX = os.environ.get("RELAIS_BROWSER_MATRIX", "") == "full"

# The live server listens on 127.0.0.1, so "nothing leaves 127.0.0.1" is a
# plain check on every request's host.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", HOST)


def chromium_missing() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return (
            f"Chromium not found at {CHROMIUM} (apt-get install chromium, "
            "or set RELAIS_CHROMIUM)"
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (make install)"
    return None


def combos(language: str) -> list:
    """(language, viewport) pairs for a journey, as pytest params."""
    pairs = [("en", "desktop"), (language, "phone")]
    if FULL_MATRIX:
        pairs += [("en", "phone"), (language, "desktop")]
    return [pytest.param(lang, vp, id=f"{lang}-{vp}") for lang, vp in pairs]


# --- Marking, skipping and the summary line ---------------------------------

_RESULTS: dict[str, int] = {"passed": 0, "failed": 0, "skipped": 0}
# (path, bytes, requests) of every page weighed in test_weight.py
PAGE_WEIGHTS: list[tuple[str, int, int]] = []
_SKIP_REASONS: set[str] = set()


def pytest_collection_modifyitems(config, items):
    reason = chromium_missing()
    for item in items:
        if HERE not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(pytest.mark.browser)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"browser tests not run: {reason}"))


def pytest_runtest_logreport(report):
    if HERE not in Path(str(report.fspath)).resolve().parents:
        return
    if report.when == "call" and report.passed:
        _RESULTS["passed"] += 1
    elif report.failed:
        _RESULTS["failed"] += 1
    elif report.skipped:
        _RESULTS["skipped"] += 1
        if isinstance(report.longrepr, tuple):
            _SKIP_REASONS.add(str(report.longrepr[2]))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    ran = _RESULTS["passed"] + _RESULTS["failed"]
    write = terminalreporter.write_line
    if PAGE_WEIGHTS:
        write("Page weights on first load (phone, empty cache):")
        for path, size, count in PAGE_WEIGHTS:
            write(f"  {size / 1024:6.1f} KB  {count:2d} requests  {path}")
    if ran and not _RESULTS["skipped"]:
        write(
            f"Browser tests (Chromium): {_RESULTS['passed']} passed, "
            f"{_RESULTS['failed']} failed.",
            green=not _RESULTS["failed"],
            red=bool(_RESULTS["failed"]),
        )
        return
    if (
        not ran
        and not _RESULTS["skipped"]
        and "not browser" in (config.getoption("markexpr", "") or "")
    ):
        # `make test` runs the suite without them, then them on their own.
        write("Browser tests: left out of this run (-m 'not browser').")
        return
    reasons = "; ".join(sorted(_SKIP_REASONS)) or (
        "deselected or not collected (-m 'not browser', -k, or a path filter)"
    )
    if ran:
        write(
            f"Browser tests (Chromium): {ran} ran, {_RESULTS['skipped']} NOT run: "
            f"{reasons}",
            yellow=True,
            bold=True,
        )
    else:
        write(f"BROWSER TESTS WERE NOT RUN: {reasons}", yellow=True, bold=True)


# --- Chromium, axe-core -------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_browser():
    reason = chromium_missing()
    if reason:
        pytest.skip(f"browser tests not run: {reason}")
    from playwright.sync_api import sync_playwright

    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # only this run's pictures
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed once into var/axe (ignored
    by git), never committed."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if not npm:
            pytest.skip("browser tests not run: npm (Node) is needed for axe-core")
        subprocess.run(  # noqa: S603
            [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix"]
            + [str(AXE_DIR), "axe-core@4"],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return AXE_JS


# --- Background tasks: a real worker when the services are there --------------


@pytest.fixture(scope="session")
def _session_worker(django_db_setup, django_db_blocker, tmp_path_factory):
    """One `celery worker` process for the whole browser session (starting
    one per test would cost seconds each); None without PostgreSQL+Redis."""
    from django.conf import settings
    from django.db import connection

    if not (settings.REDIS_URL and connection.vendor == "postgresql"):
        yield None
        return
    from tests.workers import Worker, on_broker

    queue = f"relais-browser-{os.getpid()}"
    worker = Worker(
        workdir=tmp_path_factory.mktemp("browser-worker"),
        queue=queue,
        redis_url=settings.REDIS_URL,
    )
    with django_db_blocker.unblock(), on_broker(queue):
        worker.start(timeout=60)
    try:
        yield worker
    finally:
        worker.stop()


@pytest.fixture
def tasks(_session_worker, settings, transactional_db):
    """Where background tasks run for this test: the session's worker
    process (the in-process app publishes to its queue for the test's
    duration), or in-process eager tasks locally without the services."""
    from tests.conftest import CI

    if _session_worker is None:
        if CI:
            pytest.fail("CI=true: browser tests must run with a real Celery worker")
        yield None
        return

    from tests.workers import on_broker, private_storage_at

    settings.PRIVATE_MEDIA_ROOT = str(_session_worker.private_root)
    settings.STORAGES = {
        **settings.STORAGES,
        "private": private_storage_at(_session_worker.private_root),
    }
    for sent in _session_worker.mail_dir.glob("*"):  # this test's mail only
        sent.unlink()
    with on_broker(_session_worker.queue):
        yield _session_worker


def sent_mail(worker, to: str) -> list[str]:
    """Every mail sent to `to` so far, as text: Django's locmem outbox (mail
    sent by the live server, in this process) and the worker's mail files."""
    from django.core import mail

    found = [
        m.message().as_string()
        for m in getattr(mail, "outbox", [])
        if to in m.to or to in m.cc or to in m.bcc
    ]
    if worker is not None:
        found += [text for text in worker.sent_mail() if to in text]
    return found


def wait_for_mail(worker, to: str, *, count: int = 1, timeout: float = 20) -> list:
    deadline = time.monotonic() + timeout
    while True:
        found = sent_mail(worker, to)
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def submit_sign_up(
    visitor,
    page,
    *,
    email: str,
    password: str,
    first_name: str = "Amélie",
    last_name: str = "Nguyễn",
    country: str = "CM",
    institution: str = "MINREX",
):
    """Fill in the sign-up form `page` shows and send it."""
    form = page.locator("main form")
    form.locator("[name=email]").fill(email)
    form.locator("[name=first_name]").fill(first_name)
    form.locator("[name=last_name]").fill(last_name)
    form.locator("[name=password1]").fill(password)
    form.locator("[name=password2]").fill(password)
    form.locator("[name=country]").select_option(country)
    form.locator("[name=institution]").fill(institution)
    return visitor.click_and_land(form.locator("[type=submit]"), "signed-up")


def mail_links(text: str) -> list[str]:
    """The URLs in a mail (quoted-printable soft breaks undone)."""
    text = text.replace("=\n", "").replace("=3D", "=")
    return re.findall(r"https?://[^\s\"'<>]+", text)


# --- One visitor's browser: axe, weight, screenshots, request log -------------


@dataclass
class Axe:
    script: Path
    # Page URL patterns that belong to Wagtail's own admin (checked by
    # Wagtail, not by us).
    skip: tuple[str, ...] = ("/admin/",)

    def violations(self, page) -> list[dict]:
        if any(part in urlsplit(page.url).path for part in self.skip):
            return []
        # Run as a function Playwright calls, not an injected <script> tag:
        # the page's Content-Security-Policy refuses inline scripts (as it
        # should), and would count the tag as a violation.
        page.evaluate(f"() => {{ {self.script.read_text(encoding='utf-8')}\n}}")
        return page.evaluate(
            """async () => {
              const r = await axe.run(document, {resultTypes: ["violations"]});
              return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
              }));
            }"""
        )


@dataclass
class Visitor:
    """A browser context (one person on one device) with checks on every
    page it lands on."""

    context: BrowserContext
    page: Page
    base_url: str
    journey: str
    language: str
    viewport: str
    axe: Axe
    requests: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    pages_checked: list[str] = field(default_factory=list)
    step: int = 0

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str, label: str | None = None):
        response = self.page.goto(self.url(path), wait_until="load")
        assert response is not None and response.ok, (
            f"{path}: HTTP {response and response.status}"
        )
        return self.landed(label or path)

    def landed(self, label: str | None = None):
        """Called after every navigation: waits for the page, runs axe,
        takes a screenshot."""
        page = self.page
        page.wait_for_load_state("load")
        self.step += 1
        path = urlsplit(page.url).path
        label = label or path
        self.check_axe()
        self.screenshot(label)
        self.pages_checked.append(path)
        self.assert_no_csp_violation()
        return page

    def assert_no_csp_violation(self) -> None:
        assert not self.csp_violations, (
            f"Content-Security-Policy violations ({self.language}, {self.viewport}):\n"
            + "\n".join(f"  {v}" for v in self.csp_violations)
        )

    def check_axe(self) -> None:
        found = [
            v
            for v in self.axe.violations(self.page)
            if v["impact"] in {"serious", "critical"}
        ]
        assert not found, (
            f"axe: serious/critical violations on {self.page.url} "
            f"({self.language}, {self.viewport}):\n"
            + "\n".join(
                f"  [{v['impact']}] {v['id']}: {v['help']} at {v['nodes']}"
                for v in found
            )
        )

    def screenshot(self, label: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        slug = re.sub(r"rlx-[a-z0-9-]+", "code", label.lower())
        slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:60] or "home"
        name = (
            f"{self.journey}-{self.language}-{self.viewport}-{self.step:02d}-{slug}.png"
        )
        self.page.screenshot(path=str(SCREENSHOTS / name), full_page=True)

    def click_and_land(self, locator, label: str | None = None):
        with self.page.expect_navigation(wait_until="load"):
            locator.click()
        return self.landed(label)

    def assert_stayed_local(self) -> None:
        outside = [
            u
            for u in self.requests
            if urlsplit(u).scheme in {"http", "https", "ws", "wss"}
            and urlsplit(u).hostname != HOST
        ]
        assert not outside, f"requests left {HOST}: {outside}"


# Runs in every document and frame before the page's own scripts (Playwright
# init scripts are not subject to the page's CSP): hands each
# `securitypolicyviolation` event to the test.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.relaisCspViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} ` +
    `on ${event.documentURI} (${event.sourceFile || ""}:${event.lineNumber}) ` +
    `${event.sample || ""}`.trim()
  );
});
"""


def record_csp_violations(context, page, violations: list[str]) -> None:
    """Collect CSP violations two ways: Chromium's console report ("Refused
    to ... because it violates the following Content Security Policy
    directive"), from the page and its frames, and the DOM's
    `securitypolicyviolation` event, which also names the directive."""

    def on_console(message) -> None:
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", on_console)
    context.expose_function(
        "relaisCspViolation", lambda text: violations.append(f"event: {text}")
    )
    context.add_init_script(CSP_LISTENER)


@pytest.fixture
def open_visitor(
    playwright_browser, axe_script, live_server, request
) -> Iterator[Callable[..., Visitor]]:
    """open_visitor(journey, language, viewport) -> Visitor; closed (and
    checked for requests that left 127.0.0.1) at the end of the test."""
    opened: list[Visitor] = []
    axe = Axe(axe_script)

    def _open(journey: str, language: str, viewport: str) -> Visitor:
        context = playwright_browser.new_context(
            viewport=VIEWPORTS[viewport],
            locale={
                "en": "en-GB",
                "fr": "fr-FR",
                "es": "es-ES",
                "pt": "pt-BR",
                "ar": "ar-TN",
            }.get(language, "ru-RU"),
            is_mobile=viewport == "phone",
            has_touch=viewport == "phone",
        )
        context.set_default_timeout(15_000)
        page = context.new_page()
        visitor = Visitor(
            context=context,
            page=page,
            base_url=live_server.url,
            journey=journey,
            language=language,
            viewport=viewport,
            axe=axe,
        )
        context.on("request", lambda r: visitor.requests.append(r.url))
        record_csp_violations(context, page, visitor.csp_violations)
        opened.append(visitor)
        return visitor

    yield _open
    try:
        for visitor in opened:
            visitor.assert_stayed_local()
            visitor.assert_no_csp_violation()
    finally:
        for visitor in opened:
            visitor.context.close()
