"""Bad CSV files at the import's dry run: each gets a clear message (the
whole file refused, or its rows) and changes nothing; whatever the dry run
passes, the job can store. And the dry-run page stays small."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from enrolment import imports
from enrolment.models import Enrolment, ImportJob
from enrolment.services.imports import import_dry_run, imports_clean_up

HEADER = "email,first name,last name,country,institution,cohort\n"


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


def dry_run_page(client, data: bytes) -> str:
    upload = SimpleUploadedFile("people.csv", data, content_type="text/csv")
    response = client.post(reverse("enrolment_admin_import"), {"file": upload})
    assert response.status_code == 200
    return response.content.decode()


def assert_nothing_changed(settings):
    assert not ImportJob.objects.exists()
    assert not Enrolment.objects.exists()
    assert not User.objects.filter(email__endswith="@x.org").exists()
    folder = Path(settings.PRIVATE_MEDIA_ROOT) / "enrolment-imports"
    assert not folder.exists() or not any(folder.iterdir())


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not a CSV"),
        (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, "not a CSV"),
        (
            (HEADER + "a@x.org,José,N,,,K\n").encode()
            + "b@x.org,José,N,,,K\n".encode("cp1252"),
            "Line 3 is not in UTF-8 like the rest of the file",
        ),
        (HEADER.encode(), "no rows: only a header line"),
        (b"", "The submitted file is empty"),
        (HEADER.encode() + b'a@x.org,"unclosed,N,,,K\n', "cannot be read as CSV"),
    ],
    ids=["png", "xlsx", "mixed-encodings", "header-only", "empty", "open-quote"],
)
def test_a_file_refused_as_a_whole_says_why_and_changes_nothing(
    staff_client, cohort, settings, data, message
):
    page = dry_run_page(staff_client, data.replace(b"K\n", f"{cohort.pk}\n".encode()))
    assert message in page.replace("&quot;", '"')
    assert_nothing_changed(settings)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("a\x00b@x.org,A,B,UG,,{c}", "“email” contains a NUL character"),
        ("a@x.org,A\x00,B,UG,,{c}", "“first name” contains a NUL character"),
        ("a@x.org,A,B,UG,Min\x00istry,{c}", "“institution” contains a NUL character"),
        ("a@x.org,A,B,U\x00G,,{c}", "“country” contains a NUL character"),
        ("a@x.org," + "A" * 151 + ",B,UG,,{c}", "“first name” is longer than 150"),
        ("a@x.org,A," + "B" * 151 + ",UG,,{c}", "“last name” is longer than 150"),
        ("a@x.org,A,B,UG," + "I" * 201 + ",{c}", "“institution” is longer than 200"),
        ("a" * 250 + "@x.org,A,B,UG,,{c}", "“email” is longer than 254"),
    ],
    ids=[
        "nul-email",
        "nul-name",
        "nul-institution",
        "nul-country",
        "long-first-name",
        "long-last-name",
        "long-institution",
        "long-email",
    ],
)
def test_a_bad_cell_is_reported_on_its_row_and_changes_nothing(
    staff_client, cohort, settings, line, message
):
    data = (HEADER + "ok@x.org,O,K,UG,,{c}\n" + line + "\n").format(c=cohort.pk)
    page = dry_run_page(staff_client, data.encode())
    assert "1 row has a problem" in page
    assert message in page
    assert "\x00" not in page
    assert_nothing_changed(settings)


def test_a_file_with_cr_only_line_endings_is_read_line_by_line(cohort, admin_user):
    data = f"{HEADER}a@x.org,A,B,UG,,{cohort.pk}\nb@x.org,C,D,KG,,{cohort.pk}\n"
    rows = imports.parse(data.replace("\n", "\r").encode())
    assert [(r.line, r.email, r.country) for r in rows] == [
        (2, "a@x.org", "UG"),
        (3, "b@x.org", "KG"),
    ]
    assert import_dry_run(
        data=data.replace("\n", "\r").encode(), default_cohort=None, actor=admin_user
    ).ok


def test_a_whole_windows_1252_file_is_still_read(cohort):
    data = f"{HEADER}j@x.org,José,Núñez,BR,,{cohort.pk}\n".encode("cp1252")
    assert imports.parse(data)[0].first_name == "José"


def test_the_longest_values_the_dry_run_passes_are_stored_by_the_job(
    cohort, admin_user, django_capture_on_commit_callbacks
):
    from enrolment.services.imports import import_start

    email = "e" * 240 + "@example.org"
    line = f"{email},{'F' * 150},{'L' * 150},UG,{'I' * 200},{cohort.pk}\n"
    with django_capture_on_commit_callbacks(execute=True):
        dry_run = import_dry_run(
            data=(HEADER + line).encode(), default_cohort=None, actor=admin_user
        )
        assert dry_run.ok
        import_start(token=dry_run.job.token, actor=admin_user)
    user = User.objects.get(email=email)
    assert (len(user.first_name), len(user.institution)) == (150, 200)
    assert ImportJob.objects.get().status == "done"


@pytest.mark.parametrize("bad", [False, True], ids=["all-good", "all-bad"])
def test_the_dry_run_page_of_20000_rows_stays_under_200_kb(staff_client, cohort, bad):
    cohort_ref = "Nowhere" if bad else str(cohort.pk)
    lines = [HEADER] + [
        f"person{i}@example.org,Firstname{i},Lastname{i},Uganda,Ministry {i},"
        f"{cohort_ref}\n"
        for i in range(imports.MAX_ROWS)
    ]
    page = dry_run_page(staff_client, "".join(lines).encode())
    assert ("20000 rows have problems" if bad else "20000 rows are ready") in page
    assert len(page.encode()) < 200 * 1024


def test_the_clean_up_deletes_the_uploads_of_dry_runs_older_than_a_day(
    cohort, admin_user, settings
):
    from datetime import timedelta

    from django.utils import timezone

    data = f"{HEADER}a@x.org,A,B,UG,,{cohort.pk}\n".encode()
    old = import_dry_run(data=data, default_cohort=None, actor=admin_user).job
    fresh = import_dry_run(data=data, default_cohort=None, actor=admin_user).job
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    folder = Path(settings.PRIVATE_MEDIA_ROOT)
    assert (folder / old.file.name).exists()
    assert imports_clean_up() == {"drafts": 1, "finished": 0}
    assert not (folder / old.file.name).exists()
    assert (folder / fresh.file.name).exists()
    assert list(ImportJob.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_a_formula_cell_is_a_bad_row_shown_with_its_column(
    staff_client, cohort, settings
):
    data = (
        HEADER
        + '"a@x.org","=HYPERLINK(""http://evil.example"",""Click"")",B,UG,,{c}\n'
        + "b@x.org,A,B,UG,+cmd|' /C calc'!A0,{c}\n"
    ).format(c=cohort.pk)
    page = dry_run_page(staff_client, data.encode())
    assert "2 rows have problems" in page
    assert "“first name” starts with “=”" in page
    assert "“institution” starts with “+”" in page
    # The dry run shows the institution, escaped, so staff see what was refused.
    assert "<th>Institution</th>" in page
    assert "+cmd|&#x27; /C calc&#x27;!A0" in page
    assert not User.objects.filter(email__in=["a@x.org", "b@x.org"]).exists()
    assert_nothing_changed(settings)


def test_the_import_page_has_a_heading_and_names_the_cohort_key(staff_client):
    page = staff_client.get(reverse("enrolment_admin_import")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Import participants\s*</h1>", page)
    assert "cohort (its enrolment key, name or id)" in page


def test_one_row_imported_is_said_in_the_singular(
    staff_client, cohort, django_capture_on_commit_callbacks
):
    url = reverse("enrolment_admin_import")
    data = (HEADER + f"one@x.org,O,N,UG,,{cohort.pk}\n").encode()
    dry_run_page(staff_client, data)
    token = staff_client.session["enrolment_import"]
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "commit", "token": token})
    page = staff_client.get(response.url).content.decode()
    assert "The import has started: 1 row." in page
    assert "1 of 1 row imported" in page
    assert "rows imported" not in page
    assert re.search(r"<h1[^>]*>\s*Import participants\s*</h1>", page)
