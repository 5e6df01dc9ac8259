import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import User
from enrolment import imports
from enrolment.models import Enrolment, ImportJob
from enrolment.services.imports import import_dry_run, import_start, import_validate
from enrolment.tasks import run_import_job, send_import_mail
from tests.factories import make_cohort, make_enrolment

HEADER = "email,first name,last name,country,institution,cohort\n"


def _validate(text, **kwargs):
    rows = imports.parse(text.encode("utf-8") if isinstance(text, str) else text)
    defaults = {
        "cohorts": [
            imports.CohortInfo(
                id=7, name="Kampala", course_id=1, capacity=None, seated=0
            )
        ],
        "default_cohort_id": None,
        "users_by_email": {},
        "seated_course_ids_by_user": {},
    }
    defaults.update(kwargs)
    return imports.validate_rows(rows, **defaults)


def test_parse_reads_semicolons_and_windows_1252():
    data = "email;first name;last name;country;institution;cohort\nj@x.org;José;Núñez;Brazil;MJ;Kampala\n".encode(
        "cp1252"
    )
    rows = _validate(data)
    assert rows[0].first_name == "José"
    assert rows[0].country == "BR"
    assert rows[0].ok


def test_parse_reads_utf8_with_bom():
    rows = _validate("\ufeff" + HEADER + "a@x.org,Анна,Петрова,KG,,7\n")
    assert rows[0].first_name == "Анна"
    assert rows[0].cohort_id == 7


@pytest.mark.parametrize(
    ("line", "error"),
    [
        ("not-an-email,A,B,UG,,Kampala", "invalid email"),
        ("a@x.org,A,B,Atlantis,,Kampala", "unknown country"),
        ("a@x.org,A,B,UG,,Nowhere", "unknown cohort"),
        ("a@x.org,A,B", "missing column"),
    ],
)
def test_bad_rows_are_reported_with_their_line_and_reason(line, error):
    rows = _validate(HEADER + line + "\n")
    assert rows[0].line == 2
    assert any(error in e for e in rows[0].errors)


@pytest.mark.parametrize(
    ("line", "column", "char"),
    [
        (
            'a@x.org,"=HYPERLINK(""http://evil"",""x"")",B,UG,,Kampala',
            "first name",
            "“=”",
        ),
        ("a@x.org,A,+SUM(1),UG,,Kampala", "last name", "“+”"),
        ("a@x.org,A,B,UG,+cmd|' /C calc'!A0,Kampala", "institution", "“+”"),
        ("a@x.org,A,B,UG,-2+3,Kampala", "institution", "“-”"),
        ("a@x.org,A,B,UG,@SUM(A1),Kampala", "institution", "“@”"),
        ("a@x.org,A,B,UG,  =1+1,Kampala", "institution", "“=”"),
        ('a@x.org,"\t=1+1",B,UG,,Kampala', "first name", "a tab"),
    ],
)
def test_a_formula_in_a_name_or_institution_is_a_bad_row(line, column, char):
    rows = _validate(HEADER + line + "\n")
    assert not rows[0].ok
    assert any(
        e.startswith(f"“{column}” starts with {char}") and "formula" in e
        for e in rows[0].errors
    ), rows[0].errors


def test_a_plain_name_with_a_dash_or_at_inside_is_fine():
    rows = _validate(HEADER + "a@x.org,Jean-Luc,O'Neil,UG,A+B @ Work,Kampala\n")
    assert rows[0].ok, rows[0].errors


def test_the_cohort_column_takes_its_enrolment_key_in_any_case():
    cohorts = [
        imports.CohortInfo(
            id=7,
            name="Kampala",
            course_id=1,
            capacity=None,
            seated=0,
            enrolment_key="KLA-2026",
        )
    ]
    rows = _validate(
        HEADER + "a@x.org,,,,,KLA-2026\nb@x.org,,,,,kla-2026\nc@x.org,,,,,7\n",
        cohorts=cohorts,
    )
    assert [r.cohort_id for r in rows] == [7, 7, 7]
    assert all(r.ok for r in rows)


def test_the_dry_run_matches_a_cohort_by_its_key_in_the_database(cohort):
    cohort.enrolment_key = "Join-Kampala"
    cohort.save(update_fields=["enrolment_key"])
    rows = import_validate(data=(HEADER + "a@x.org,,,,,join-kampala\n").encode())
    assert rows[0].ok, rows[0].errors
    assert rows[0].cohort_id == cohort.pk


def test_a_duplicate_row_is_reported():
    rows = _validate(HEADER + "a@x.org,,,,,Kampala\nA@x.org,,,,,Kampala\n")
    assert rows[0].ok
    assert "duplicate of line 2" in rows[1].errors[0]


def test_an_already_enrolled_person_is_reported():
    rows = _validate(
        HEADER + "a@x.org,,,,,Kampala\n",
        users_by_email={"a@x.org": 5},
        seated_course_ids_by_user={5: {1}},
    )
    assert "already enrolled" in rows[0].errors[0]


def test_a_full_cohort_is_reported_for_the_rows_beyond_its_seats():
    rows = _validate(
        HEADER + "a@x.org,,,,,7\nb@x.org,,,,,7\n",
        cohorts=[imports.CohortInfo(id=7, name="K", course_id=1, capacity=2, seated=1)],
    )
    assert rows[0].ok
    assert "full" in rows[1].errors[0]


def test_files_over_20000_rows_are_refused():
    data = HEADER + "a@x.org,,,,,7\n" * (imports.MAX_ROWS + 1)
    with pytest.raises(imports.ImportRefused):
        imports.parse(data.encode())


def test_files_over_5_mb_are_refused():
    with pytest.raises(imports.ImportRefused):
        imports.parse(b"email\n" + b"x" * (imports.MAX_BYTES + 1))


def test_a_file_without_an_email_column_is_refused():
    with pytest.raises(imports.ImportRefused):
        imports.parse(b"name,country\nA,UG\n")


def _csv(n, cohort_ref):
    lines = [HEADER]
    for i in range(n):
        lines.append(
            f"p{i}@example.org,First{i},Last{i},Uganda,Ministry {i % 7},{cohort_ref}\n"
        )
    return "".join(lines).encode()


def _import(data, actor, capture, default_cohort=None):
    """Dry run, confirm, and run the job (eager tasks, after the commits)."""
    with capture(execute=True):
        dry_run = import_dry_run(data=data, default_cohort=default_cohort, actor=actor)
        assert dry_run.ok, dry_run.bad
        job = import_start(token=dry_run.job.token, actor=actor)
    job.refresh_from_db()
    return job


def uploads(settings) -> list[Path]:
    return sorted((Path(settings.PRIVATE_MEDIA_ROOT) / "enrolment-imports").glob("*"))


def test_importing_200_rows_creates_enrols_and_emails_everyone(
    cohort, participant, admin_user, django_capture_on_commit_callbacks, settings
):
    data = _csv(199, cohort.name) + f"{participant.email},,,,,{cohort.pk}\n".encode()
    job = _import(data, admin_user, django_capture_on_commit_callbacks)
    assert (job.status, job.done, job.total, job.skipped) == ("done", 200, 200, 0)
    assert Enrolment.objects.filter(cohort=cohort, source="import").count() == 200
    new = User.objects.get(email="p5@example.org")
    assert not new.has_usable_password()
    assert str(new.country) == "UG"
    assert new.emailaddress_set.get().verified is False
    assert len(mail.outbox) == 200
    assert (
        "/password/reset/key/"
        in next(m for m in mail.outbox if m.to == ["p5@example.org"]).body
    )
    assert job.rows.filter(mailed_at__isnull=False).count() == 200
    assert job.rows.get(user=participant).new_user is False
    assert not job.rows.exclude(email="").exists()  # the address is the user's
    assert uploads(settings) == []  # the upload is deleted with the job done


def test_a_job_and_its_mails_delivered_twice_write_and_mail_once(
    cohort, admin_user, django_capture_on_commit_callbacks
):
    job = _import(_csv(3, cohort.name), admin_user, django_capture_on_commit_callbacks)
    assert run_import_job.delay(job.pk).get() == "nothing to do"
    for row in job.rows.all():
        assert send_import_mail.delay(row.pk).get() is False
    assert Enrolment.objects.count() == 3
    assert len(mail.outbox) == 3


def test_nothing_is_kept_while_any_row_is_bad(cohort, admin_user, settings):
    data = _csv(10, cohort.name) + b"broken,,,,,Nowhere\n"
    dry_run = import_dry_run(data=data, default_cohort=None, actor=admin_user)
    assert [r.line for r in dry_run.bad] == [12]
    assert dry_run.job is None
    assert not ImportJob.objects.exists()
    assert uploads(settings) == []
    assert not Enrolment.objects.exists()


def test_a_row_that_went_bad_since_the_dry_run_fails_the_job_and_writes_nothing(
    cohort, participant, admin_user, django_capture_on_commit_callbacks, settings
):
    data = _csv(5, cohort.name) + f"{participant.email},,,,,{cohort.pk}\n".encode()
    dry_run = import_dry_run(data=data, default_cohort=None, actor=admin_user)
    make_enrolment(user=participant, course=cohort.course)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_start(token=dry_run.job.token, actor=admin_user)
    job.refresh_from_db()
    assert job.status == "failed"
    assert [(r.line, r.error) for r in job.rows.all()] == [
        (7, "already enrolled in this course")
    ]
    assert Enrolment.objects.filter(source="import").count() == 0
    assert uploads(settings) == []
    assert mail.outbox == []


def test_a_dry_run_is_confirmed_only_by_its_author_and_only_once(
    cohort, admin_user, django_capture_on_commit_callbacks
):
    other_admin = User.objects.create_user(email="zoe@example.org", is_staff=True)
    dry_run = import_dry_run(
        data=_csv(2, cohort.name), default_cohort=None, actor=admin_user
    )
    assert import_start(token=dry_run.job.token, actor=other_admin) is None
    with django_capture_on_commit_callbacks(execute=True):
        assert import_start(token=dry_run.job.token, actor=admin_user) is not None
        assert import_start(token=dry_run.job.token, actor=admin_user) is None
    assert Enrolment.objects.count() == 2


def test_validation_flags_an_existing_enrolment_in_the_database(cohort, participant):
    make_enrolment(user=participant, course=cohort.course)
    rows = import_validate(
        data=(HEADER + f"{participant.email.upper()},,,,,{cohort.pk}\n").encode()
    )
    assert "already enrolled" in rows[0].errors[0]


def test_admin_import_dry_run_then_commit(
    client, admin_user, cohort, django_capture_on_commit_callbacks
):
    client.force_login(admin_user)
    url = reverse("enrolment_admin_import")
    upload = SimpleUploadedFile(
        "people.csv", _csv(3, cohort.name), content_type="text/csv"
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert not Enrolment.objects.exists()
    token = client.session["enrolment_import"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "commit", "token": token})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("enrolment_admin_import_job", args=[job.pk])
    assert Enrolment.objects.filter(cohort=cohort).count() == 3
    page = client.get(response.url).content.decode()
    assert "3 of 3 rows imported" in page
    assert "Welcome mails sent: 3 of 3" in page


def test_admin_import_refuses_a_forged_token(client, admin_user, cohort):
    client.force_login(admin_user)
    response = client.post(
        reverse("enrolment_admin_import"), {"action": "commit", "token": "forged"}
    )
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_admin_import_is_refused_to_participants(client, participant, site):
    client.force_login(participant)
    response = client.get(reverse("enrolment_admin_import"))
    assert response.status_code in (302, 403)


def test_an_import_job_page_is_refused_to_participants(
    client, participant, admin_user, cohort
):
    job = ImportJob.objects.create(token="t", status="done", created_by=admin_user)
    client.force_login(participant)
    response = client.get(reverse("enrolment_admin_import_job", args=[job.pk]))
    assert response.status_code in (302, 403)
    client.force_login(admin_user)
    missing = reverse("enrolment_admin_import_job", args=[job.pk + 1])
    assert client.get(missing, follow=True).status_code == 404


def test_admin_lists_and_filters_enrolments(client, admin_user, cohort, participant):
    make_enrolment(user=participant, course=cohort.course, cohort=cohort)
    client.force_login(admin_user)
    response = client.get(
        reverse("enrolments:index"), {"status": "active", "q": "alice"}
    )
    assert response.status_code == 200
    assert "Alice" in response.content.decode()
    assert client.get(reverse("cohorts:index"), {"country": "UG"}).status_code == 200


def test_admin_moves_an_enrolment_between_cohorts_of_the_course(
    client, admin_user, cohort, participant
):
    other = make_cohort(course=cohort.course, name="Other group")
    enrolment = make_enrolment(user=participant, course=cohort.course, cohort=cohort)
    client.force_login(admin_user)
    response = client.post(
        reverse("enrolments:edit", args=[enrolment.pk]),
        {"cohort": other.pk, "status": "active"},
    )
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.cohort_id == other.pk
    assert enrolment.events.filter(note__startswith="moved").exists()


def test_the_sweep_sends_a_mail_whose_task_was_never_queued(
    cohort, admin_user, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    from enrolment.models import ImportRow
    from enrolment.services.import_jobs import imports_sweep

    # Confirmed while the broker was down: the rows are written, no mail
    # task was queued (the callbacks that queue them are not run).
    dry_run = import_dry_run(
        data=_csv(2, cohort.name), default_cohort=None, actor=admin_user
    )
    import_start(token=dry_run.job.token, actor=admin_user)
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=False):
        run_import_job.delay(job.pk)
    assert ImportRow.objects.filter(job=job, mailed_at__isnull=True).count() == 2
    assert mail.outbox == []
    ImportRow.objects.update(created_at=timezone.now() - timedelta(minutes=3))
    assert imports_sweep() == {"jobs": 0, "mails": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.org", "p1@example.org"]
    assert imports_sweep() == {"jobs": 0, "mails": 0}


def test_an_imported_participant_sets_a_password_and_is_in_with_one_mail(
    client, cohort, admin_user, django_capture_on_commit_callbacks
):
    """Issue 18, item 10: the welcome mail's link proves the address; no
    second mail to confirm it, and the participant lands signed in."""
    _import(_csv(1, cohort.name), admin_user, django_capture_on_commit_callbacks)
    [welcome] = mail.outbox
    link = next(
        u for u in re.findall(r"https?://\S+", welcome.body) if "/password/reset/" in u
    )
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302  # to the form, the key kept in the session
    form_url = response["Location"]
    response = client.post(
        form_url,
        {
            "password1": "A-long-new-passphrase-9",
            "password2": "A-long-new-passphrase-9",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="p0@example.org")
    assert user.has_usable_password()
    assert user.emailaddress_set.get().verified is True
    assert client.get(reverse("dashboard")).status_code == 200  # signed in
    assert len(mail.outbox) == 1
