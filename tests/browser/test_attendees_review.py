"""Trainer reviews a session's attendee list: fixes a misspelt name, removes
a mistaken entry, confirms the list and sees each attendee's certificate
status (docs/attendees.md)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from tests.browser.conftest import combos, wait_for_mail
from tests.browser.data import qualified_trainer
from tests.browser.test_trainer import log_in
from tests.factories import make_cohort

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(("language", "viewport"), combos("fr"))
def test_a_trainer_fixes_removes_and_confirms_the_attendee_list(
    open_visitor, tasks, trainer, language, viewport
):
    from cascades.models import TrainingSession
    from certificates.models import Certificate

    workshop = qualified_trainer(trainer=trainer)
    cohort = make_cohort(course=workshop, name="Kampala 2026", trainer=trainer)
    session = TrainingSession.objects.create(
        cohort=cohort,
        held_on=datetime.date(2026, 11, 20),
        place="Kampala",
        duration_hours=3,
        participants_women=2,
        participants_men=1,
        created_by=trainer,
    )
    grace_email = f"grace-{language}-{viewport}@example.org"
    grace = session.attendees.create(
        name="Grace Nakatoo", email=grace_email, gender="woman"
    )
    okello = session.attendees.create(name="Okello James", institution="MIA")
    mistake = session.attendees.create(
        name="Grace N.", email=f"mistake-{language}-{viewport}@example.org"
    )

    visitor = open_visitor("attendees", language, viewport)
    log_in(visitor, email=trainer.email, language=language)
    page = visitor.goto(f"/{language}/trainer/sessions/{session.pk}/", "session")

    row = page.locator(f"tr[data-attendee='{grace.pk}']")
    page = visitor.click_and_land(row.locator("a[href$='/edit/']"), "edit")
    form = page.locator("main form")
    assert form.locator("[name=name]").input_value() == "Grace Nakatoo"
    form.locator("[name=name]").fill("Grace Nakato")
    page = visitor.click_and_land(form.locator("[type=submit]"), "edited")
    name_cell = page.locator(f"tr[data-attendee='{grace.pk}'] th").inner_text()
    assert name_cell.splitlines()[0] == "Grace Nakato", name_cell

    row = page.locator(f"tr[data-attendee='{mistake.pk}']")
    page = visitor.click_and_land(row.locator("a[href$='/remove/']"), "remove")
    assert "Grace N." in page.locator("main").inner_text()
    page = visitor.click_and_land(page.locator("main form [type=submit]"), "removed")
    assert page.locator(f"tr[data-attendee='{mistake.pk}']").count() == 0
    assert page.locator("tr[data-attendee]").count() == 2

    confirm = page.locator("main form[action$='/attendees/confirm/'] [type=submit]")
    page = visitor.click_and_land(confirm, "confirmed")
    with translation.override(language):
        no_email = translation.gettext("No certificate (no email)")
        on_confirming = translation.gettext("Sent on confirming")
    status = "tr[data-attendee='{}'] .certificate-status"
    assert page.locator(status.format(okello.pk)).inner_text() == no_email
    grace_status = page.locator(status.format(grace.pk)).inner_text()
    assert grace_status not in {no_email, on_confirming, "", "—"}, grace_status
    # Certified: the row can no longer be edited or removed from here.
    assert page.locator(f"tr[data-attendee='{grace.pk}'] a").count() == 0
    assert wait_for_mail(tasks, grace_email), "no certificate mail to Grace"

    confirm = page.locator("main form[action$='/attendees/confirm/'] [type=submit]")
    page = visitor.click_and_land(confirm, "confirmed-again")
    assert Certificate.objects.filter(attendee__session=session).count() == 1
    assert list(
        Certificate.objects.filter(attendee__session=session).values_list(
            "attendee_id", flat=True
        )
    ) == [grace.pk]
