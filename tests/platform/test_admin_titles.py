"""Admin pages are Relais's (issue 18, item 9): their titles end in
"- Relais", not "- Wagtail", and Relais's own admin pages name themselves."""

from __future__ import annotations

import re

import pytest

from tests.conftest import reauthenticate

PAGES = {
    "/admin/": None,
    "/admin/enrolment/enrol/": "Enrol a participant",
    "/admin/enrolment/import/": "Import participants",
    "/admin/enrolment/requests/": "Enrolment requests",
    "/admin/certificates/": None,
}


@pytest.mark.parametrize("path", PAGES)
def test_admin_page_titles_end_in_relais(client, admin_user, path):
    client.force_login(admin_user)
    reauthenticate(client)
    response = client.get(path)
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)
    assert title, "no <title>"
    text = " ".join(title.group(1).split())
    assert text.endswith("- Relais") and "Wagtail" not in text, text
    if PAGES[path]:
        assert text.startswith(PAGES[path]), text
