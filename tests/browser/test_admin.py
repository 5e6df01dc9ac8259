"""Admin journey: import a CSV of participants in the Wagtail admin → open
the enrolment report → filter by country → export CSV. Wagtail's own admin
pages are not checked with axe (they are Wagtail's); our sign-in page is."""

from __future__ import annotations

import csv
import io
import time

import pytest

from tests.browser.conftest import combos, wait_for_mail
from tests.browser.data import PASSWORD, course_with_quiz
from tests.factories import make_cohort

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PARTICIPANTS = [
    (
        "grace.uganda@example.org",
        "Grace",
        "Akello",
        "UG",
        "Ministry of Internal Affairs",
    ),
    (
        "joseph.uganda@example.org",
        "Joseph",
        "Okello",
        "UG",
        "Directorate of Citizenship",
    ),
    ("joao.brasil@example.org", "João", "Araújo", "BR", "Polícia Federal"),
]


def participants_csv(cohort_name: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "first_name", "last_name", "country", "institution"])
    writer.writerows(PARTICIPANTS)
    return out.getvalue().encode()


@pytest.mark.parametrize(("language", "viewport"), combos("pt"))
def test_an_admin_imports_participants_filters_the_report_by_country_and_exports_csv(
    open_visitor, tasks, admin_user, language, viewport
):
    from enrolment.models import Enrolment

    course = course_with_quiz(title="Border management")
    cohort = make_cohort(course=course, name="Kampala 2026", country="UG")
    visitor = open_visitor("admin", language, viewport)

    page = visitor.goto(f"/{language}/accounts/login/?next=/admin/", "sign-in")
    form = page.locator("main form")
    form.locator("[name=login]").fill(admin_user.email)
    form.locator("[name=password]").fill(PASSWORD)
    page = visitor.click_and_land(form.locator("[type=submit]"), "admin")

    page = visitor.goto("/admin/enrolment/import/", "import")
    page.locator("input[name=file]").set_input_files(
        {
            "name": "participants.csv",
            "mimeType": "text/csv",
            "buffer": participants_csv(cohort.name),
        }
    )
    page.locator("select[name=cohort]").select_option(str(cohort.pk))
    page = visitor.click_and_land(
        page.locator("main form[enctype] button[type=submit]"), "dry-run"
    )
    page = visitor.click_and_land(
        page.locator("main form input[value=commit] ~ button"), "imported"
    )
    # The import runs as a background job; its page refreshes itself.
    imported = Enrolment.objects.filter(cohort=cohort)
    deadline = time.monotonic() + 60
    while imported.count() < len(PARTICIPANTS) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert sorted(imported.values_list("user__email", flat=True)) == sorted(
        p[0] for p in PARTICIPANTS
    )
    for email, *_ in PARTICIPANTS:
        assert wait_for_mail(tasks, email), f"no welcome mail to {email}"

    page = visitor.goto("/admin/programme-reports/enrolments/", "report")
    filters = page.locator("form.rr-filters").filter(has=page.locator("[name=country]"))
    filters.locator("[name=country]").select_option("UG")
    page = visitor.click_and_land(filters.locator("button[type=submit]"), "filtered")
    assert "country=UG" in page.url

    # Personal data leaves Relais only after staff confirm their password
    # (allauth's re-authentication); the export then starts by itself.
    link = page.locator("a[href*='/export/enrolment_list.csv']")
    page = visitor.click_and_land(link, "confirm-password")
    assert "/accounts/reauthenticate/" in page.url
    page.locator("[name=password]").fill(PASSWORD)
    with page.expect_download() as download_info:
        page.locator("main form [type=submit]").click()
    download = download_info.value
    with open(download.path(), encoding="utf-8-sig") as fh:
        exported = fh.read()
    assert "grace.uganda@example.org" in exported
    assert "joseph.uganda@example.org" in exported
    assert "joao.brasil@example.org" not in exported
    download.save_as(str(visitor_screenshot_dir() / f"admin-{language}-{viewport}.csv"))


def visitor_screenshot_dir():
    from tests.browser.conftest import SCREENSHOTS

    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS
