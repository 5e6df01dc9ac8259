"""Trainer journey: log in → open a cohort → invite colleagues → record an
in-person session → see the cascade grow."""

from __future__ import annotations

import pytest

from tests.browser.conftest import combos, wait_for_mail
from tests.browser.data import PASSWORD, qualified_trainer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(visitor, *, email: str, language: str):
    page = visitor.goto(f"/{language}/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    return visitor.click_and_land(form.locator("[type=submit]"), "signed-in")


def cascade_totals(page) -> dict[str, int]:
    """The cascade page's total row: cohorts, sessions, people reached, trainers."""
    cells = page.locator("table").first.locator("tfoot td").all_inner_texts()
    return dict(zip(("cohorts", "sessions", "reached", "trainers"), map(int, cells)))


@pytest.mark.parametrize(("language", "viewport"), combos("es"))
def test_a_trainer_opens_a_cohort_invites_records_a_session_and_sees_the_cascade_grow(
    open_visitor, tasks, trainer, language, viewport
):
    workshop = qualified_trainer(trainer=trainer)
    visitor = open_visitor("trainer", language, viewport)
    page = log_in(visitor, email=trainer.email, language=language)

    page = visitor.click_and_land(page.locator("header a[href$='/trainer/']"), "home")
    page = visitor.goto(f"/{language}/trainer/cascade/")
    assert page.locator("main .empty").count(), "a new trainer's cascade is empty"

    page = visitor.goto(f"/{language}/trainer/")
    page = visitor.click_and_land(
        page.locator("main a[href$='/trainer/cohorts/new/']"), "open-cohort"
    )
    form = page.locator("main form")
    form.locator("[name=course]").select_option(str(workshop.pk))
    form.locator("[name=name]").fill("San Salvador, DGME 2026")
    form.locator("[name=country]").select_option("SV")
    form.locator("[name=institution]").fill("DGME")
    form.locator("[name=language]").select_option(language)
    page = visitor.click_and_land(form.locator("[type=submit]"), "cohort")
    assert "San Salvador, DGME 2026" in page.locator("h1").inner_text()

    colleagues = [f"colega{n}-{language}-{viewport}@example.org" for n in (1, 2)]
    invite = page.locator("main form[action$='/invite/']")
    invite.locator("[name=emails]").fill("\n".join(colleagues))
    page = visitor.click_and_land(invite.locator("[type=submit]"), "invited")
    for email in colleagues:
        assert wait_for_mail(tasks, email), f"no invitation mail to {email}"

    page = visitor.click_and_land(
        page.locator("main a[href$='/sessions/new/']"), "record-session"
    )
    form = page.locator("main form")
    form.locator("[name=held_on]").fill("2026-11-20")
    form.locator("[name=place]").fill("San Salvador")
    form.locator("[name=duration_hours]").fill("3")
    form.locator("[name=participants_women]").fill("4")
    form.locator("[name=participants_men]").fill("3")
    form.locator("[name=participants_other]").fill("0")
    page = visitor.click_and_land(form.locator("[type=submit]"), "session")

    page = visitor.goto(f"/{language}/trainer/cascade/")
    totals = cascade_totals(page)
    assert totals["cohorts"] >= 1 and totals["sessions"] == 1, totals
    assert totals["reached"] >= 7, totals
