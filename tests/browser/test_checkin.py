"""Check-in on a phone: an attendee checks in from the QR code's address in
one page; the trainer's open session page (another browser) shows them
without a reload; the same email again adds no one; after closing, check-in
is refused; an outsider gets 404. With RELAIS_SHOTS_DIR set, the phone's
check-in page and the trainer's page are saved there for the issue."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from tests.browser.conftest import VIEWPORTS
from tests.browser.data import qualified_trainer
from tests.browser.test_trainer import log_in
from tests.factories import make_cohort

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SHOTS = os.environ.get("RELAIS_SHOTS_DIR")


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def fill_check_in(page, *, name: str, email: str) -> None:
    form = page.locator("main form.checkin-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=email]").fill(email)
    form.locator("[name=institution]").fill("MINREX")
    form.locator("[name=gender]").select_option("not_said")
    form.locator("[name=consent]").check()


def test_an_attendee_checks_in_on_a_phone_and_the_trainer_sees_them_live(
    open_visitor, trainer, participant
):
    from cascades.models import SessionAttendee, TrainingSession
    from cascades.services import checkin_url

    workshop = qualified_trainer(trainer=trainer)
    cohort = make_cohort(course=workshop, name="Yaoundé 2026", trainer=trainer)
    session = TrainingSession.objects.create(
        cohort=cohort,
        title="Données migratoires",
        held_on=timezone.localdate(),
        place="MINREX, Yaoundé",
        duration_hours=3,
    )

    host = open_visitor("checkin-trainer", "en", "desktop")
    log_in(host, email=trainer.email, language="en")
    page = host.goto(f"/en/trainer/sessions/{session.pk}/", "session")
    page = host.click_and_land(
        page.locator("form[action$='/checkin/open/'] [type=submit]"), "opened"
    )
    code = page.locator("[data-checkin-code]").inner_text().strip()
    picture = Image.open(io.BytesIO(page.locator("svg.checkin-qr").screenshot()))
    decoded = [r.text for r in zxingcpp.read_barcodes(picture)]
    assert decoded == [checkin_url(code=code)]

    phone = open_visitor("checkin-phone", "fr", "phone")
    attendee = phone.goto(f"/checkin/{code}/", "checkin")
    assert attendee.url.endswith(f"/fr/checkin/{code}/")  # the phone's language
    assert not attendee.evaluate(
        "() => document.documentElement.scrollWidth > window.innerWidth"
    )
    fill_check_in(attendee, name="Amina Diallo", email="amina@example.org")
    shot(attendee, "checkin-phone.png")
    attendee = phone.click_and_land(
        attendee.locator("main form.checkin-form [type=submit]"), "checked-in"
    )
    assert "Amina Diallo" in attendee.locator(".messages").inner_text()

    # The trainer's page, never reloaded, shows the new attendee.
    page.locator(".checkin-list li", has_text="Amina Diallo · MINREX").wait_for()
    shot(page, "checkin-trainer.png")

    fill_check_in(attendee, name="Amina Diallo-Ba", email="AMINA@example.org")
    phone.click_and_land(
        attendee.locator("main form.checkin-form [type=submit]"), "again"
    )
    page.locator(".checkin-list li", has_text="Amina Diallo-Ba").wait_for()
    assert page.locator(".checkin-list li").count() == 1
    assert SessionAttendee.objects.filter(session=session).count() == 1

    # A form loaded while open, sent after the trainer closed check-in.
    fill_check_in(attendee, name="Jean Kamga", email="jean@example.org")
    host.click_and_land(
        page.locator("form[action$='/checkin/close/'] [type=submit]"), "closed"
    )
    attendee = phone.click_and_land(
        attendee.locator("main form.checkin-form [type=submit]"), "refused"
    )
    assert attendee.locator("h1").inner_text() == "L’enregistrement est fermé"
    assert SessionAttendee.objects.filter(session=session).count() == 1

    outsider = open_visitor("checkin-outsider", "en", "desktop")
    log_in(outsider, email=participant.email, language="en")
    for path in ("", "checkin/live/", "sign-in-sheet.pdf"):
        response = outsider.page.goto(
            outsider.url(f"/en/trainer/sessions/{session.pk}/{path}")
        )
        assert response is not None and response.status == 404, path


def test_the_check_in_page_costs_a_phone_under_30_kb(
    playwright_browser, live_server, trainer
):
    """Everything the first visit fetches on an empty cache. The page does
    not register the service worker, whose install would download an
    offline page per language."""
    from cascades.models import TrainingSession
    from cascades.services import checkin_open

    workshop = qualified_trainer(trainer=trainer)
    cohort = make_cohort(course=workshop, name="Bishkek 2026", trainer=trainer)
    session = checkin_open(
        session=TrainingSession.objects.create(
            cohort=cohort,
            held_on=timezone.localdate(),
            place="Bishkek",
            duration_hours=2,
        )
    )
    context = playwright_browser.new_context(
        viewport=VIEWPORTS["phone"], is_mobile=True, locale="ru-RU"
    )
    sizes: dict[str, int] = {}

    def weigh(response) -> None:
        try:
            sizes[response.url] = len(response.body())
        except Exception:  # noqa: BLE001 (a redirect, a service worker's fetch)
            sizes[response.url] = int(response.headers.get("content-length", 0))

    context.on("response", weigh)
    page = context.new_page()
    page.goto(f"{live_server.url}/checkin/{session.checkin_code}/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main form [name=consent]").count() == 1
    context.close()
    total = sum(sizes.values())
    print(f"check-in page on a phone: {total} bytes in {len(sizes)} responses")
    for url, size in sorted(sizes.items()):
        print(f"  {size:6d} {url}")
    assert not any(url.endswith(("/sw.js", "/offline/")) for url in sizes), sizes
    assert total < 30 * 1024, sizes
