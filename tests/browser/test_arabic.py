"""Arabic, right to left, on a phone: a visitor's and a participant's pages
carry dir="rtl", the layout is mirrored (the brand to the right of the
navigation, quiz options with their box on the right), the progress bar
fills from the right, and axe finds no serious or critical violation
(checked by the harness on every page the visitor lands on)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from tests.browser.data import PASSWORD, course_with_quiz, qualified_trainer
from tests.factories import course_lessons, make_cohort, make_enrolment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def box(locator) -> dict[str, float]:
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not displayed"
    return found


def right(b: dict[str, float]) -> float:
    return b["x"] + b["width"]


def assert_right_to_left(page) -> None:
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar"
    assert html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"


def assert_navigation_mirrored(page) -> None:
    """The brand starts the header at the right; the links follow it
    leftwards, on its line or wrapped under it, each one left of the one
    before when they share a line."""
    width = page.viewport_size["width"]
    brand = box(page.locator("header .brand"))
    assert brand["x"] > width / 2, f"the brand is not on the right: {brand}"
    links = [box(link) for link in page.locator("header .site-nav li").all()]
    assert len(links) >= 2
    for link in links:
        if abs(link["y"] - brand["y"]) < brand["height"] / 2:  # the brand's line
            assert right(link) <= brand["x"] + 1, "a link is right of the brand"
        else:
            assert link["y"] > brand["y"], "a link is above the brand"
    first, second = links[0], links[1]
    if abs(first["y"] - second["y"]) < 1:
        assert right(second) <= first["x"] + 1, "the links run left to right"
    assert right(links[0]) > width / 2, "the first link is not on the right"


def fill_side(progress_locator) -> str:
    """Which end of a half-filled <progress> holds the fill: the darker end
    (the fill is the dark green accent colour, the track light grey)."""
    image = Image.open(io.BytesIO(progress_locator.screenshot())).convert("L")
    w, h = image.size
    row = list(image.crop((0, h // 2, w, h // 2 + 1)).tobytes())  # one byte a pixel
    left = sum(row[: w // 5]) / (w // 5)
    end = sum(row[-(w // 5) :]) / (w // 5)
    assert abs(left - end) > 40, f"no visible fill: {left=} {end=}"
    return "left" if left < end else "right"


def sign_in(visitor, email: str):
    page = visitor.goto("/ar/accounts/login/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(email)
    form.locator("[name=password]").fill(PASSWORD)
    return visitor.click_and_land(form.locator("[type=submit]"), "signed-in")


def test_an_arabic_reader_gets_mirrored_pages_on_a_phone(open_visitor, participant):
    course = course_with_quiz(language="ar", title="إدماج المهاجرين")
    lessons = course_lessons(course)
    enrolment = make_enrolment(
        user=participant, course=course, cohort=make_cohort(course=course)
    )
    from enrolment.services.progress import lesson_complete

    lesson_complete(enrolment=enrolment, lesson=lessons[0])  # 1 of 2: 50 %

    visitor = open_visitor("arabic", "ar", "phone")
    page = visitor.goto("/ar/", "home")
    assert_right_to_left(page)
    assert_navigation_mirrored(page)
    assert page.locator(".lang-switch button[lang=ar]").get_attribute("dir") == "rtl"
    assert page.locator(".lang-switch button[lang=en]").inner_text() == "English"

    for path, label in [
        ("/ar/courses/", "catalogue"),
        (course.url, "course"),
        ("/ar/accounts/signup/", "sign-up"),
    ]:
        page = visitor.goto(path, label)
        assert_right_to_left(page)
        assert_navigation_mirrored(page)

    sign_in(visitor, participant.email)

    page = visitor.goto(course.url, "course-enrolled")
    assert_right_to_left(page)
    assert fill_side(page.locator("progress#course-progress")) == "right"

    page = visitor.goto(lessons[-1].url, "lesson-with-quiz")
    assert_right_to_left(page)
    assert_navigation_mirrored(page)
    option = page.locator(".quiz label").first
    assert (
        box(option.locator("input"))["x"] > box(option)["x"] + box(option)["width"] / 2
    ), "the answer's box is not at the right of its text"
    previous = box(page.locator(".lesson-nav a[rel=prev]"))
    assert previous["x"] > page.viewport_size["width"] / 2, "previous is not right"
    assert page.locator(".lesson-nav a[rel=prev] [aria-hidden]").inner_text() == "→"

    page = visitor.goto("/ar/dashboard/", "dashboard")
    assert_right_to_left(page)
    assert_navigation_mirrored(page)
    assert fill_side(page.locator("main progress").first) == "right"

    # The same bar on an English page fills from the left: the check can tell.
    page = visitor.goto("/en/dashboard/", "dashboard-en")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert fill_side(page.locator("main progress").first) == "left"


def test_an_arabic_trainers_cascade_tree_hangs_from_the_right(open_visitor, trainer):
    workshop = qualified_trainer(trainer=trainer)
    make_cohort(course=workshop, trainer=trainer, name="فوج عمّان", country="JO")
    visitor = open_visitor("arabic-trainer", "ar", "phone")
    sign_in(visitor, trainer.email)
    page = visitor.goto("/ar/trainer/cascade/", "cascade")
    assert_right_to_left(page)
    assert_navigation_mirrored(page)
    tree = page.locator("main ul.cascade-tree").first
    style = tree.evaluate(
        "(e) => { const s = getComputedStyle(e);"
        " return [s.borderRightWidth, s.borderLeftWidth, s.paddingRight, s.paddingLeft]; }"
    )
    assert style == ["2px", "0px", "16px", "0px"], "the connector is not on the right"
    node, line = box(tree.locator("summary").first), box(tree)
    assert right(node) <= right(line) - 16 + 1 and right(node) > right(line) - 24, (
        "the node is not indented from the right"
    )
