"""The cascade picture on a phone: the demo trainer's cascade page at 360 px
keeps the page itself from scrolling sideways (the picture scrolls inside its
frame), passes axe and the CSP, and draws its discs and columns."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from tests.browser.data import PASSWORD
from tests.factories import make_course

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_cascade_picture_fits_a_phone_and_scrolls_inside_its_frame(
    open_visitor, site
):
    from demo import cascades as demo

    make_course(
        title="ToT",
        slug=demo.TOT_SLUG,
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=2,
    )
    make_course(
        title="Workshop", slug=demo.WORKSHOP_SLUG, modules=1, lessons_per_module=2
    )
    demo.load(stdout=io.StringIO(), debug=False)
    from accounts.models import User

    trainer = User.objects.get(email=demo.TRAINER_EMAIL)
    trainer.set_password(PASSWORD)  # the demo's own is for dev only
    trainer.save(update_fields=["password"])

    visitor = open_visitor("cascade-picture", "en", "phone")
    page = visitor.goto("/en/accounts/login/")
    form = page.locator("main form")
    form.locator("[name=login]").fill(demo.TRAINER_EMAIL)
    form.locator("[name=password]").fill(PASSWORD)
    visitor.click_and_land(form.locator("[type=submit]"), "signed-in")
    page = visitor.goto("/en/trainer/cascade/", "cascade")

    assert page.locator("#cascade-picture circle").count() > 1
    assert page.locator("#reach-over-time rect").count() > 1
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths}"
    frame = page.locator(".cascade-picture-scroll").first
    assert frame.evaluate("e => e.scrollWidth > e.clientWidth")  # it scrolls inside
    # A copy for the issue, where the developer asked for one.
    target = os.environ.get("RELAIS_CASCADE_SCREENSHOT")
    if target:
        page.locator("#picture-heading").scroll_into_view_if_needed()
        page.screenshot(path=str(Path(target)))
