"""Reach over time (cascades/selectors/over_time.py, cascades/timeline.py):
the months shown add up to the reach by generation, the table and the CSV
state what the data holds, and the CSV is the trainer's own."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

from django.urls import reverse
from django.utils import timezone

from cascades.models import SessionAttendee, TrainingSession
from cascades.selectors import (
    cascade_reach_by_course,
    cascade_reach_for_trainer,
    programme_reach_over_time,
    trainer_cascade_cohorts,
    trainer_reach_over_time,
)
from enrolment.models import Enrolment
from tests.cascades.test_picture import attr, number
from tests.conftest import reauthenticate

SVG = "{http://www.w3.org/2000/svg}"


def counted_from_the_data(user) -> dict[tuple[str, int], int]:
    """People reached per (YYYY-MM, generation) in the trainer's cascade,
    worked out row by row: each address once, at its earliest generation,
    then cohort, then date; anonymous heads at their session's month."""
    cohorts = {c.pk: c for c in trainer_cascade_cohorts(user=user)}
    seen: dict[str, tuple] = {}
    appearances = [
        (e.user.email.lower(), e.cohort_id, timezone.localdate(e.enrolled_at))
        for e in Enrolment.objects.filter(cohort__in=list(cohorts)).select_related(
            "user"
        )
        if e.status != Enrolment.Status.WITHDRAWN
    ]
    appearances += [
        (a.email.lower(), a.session.cohort_id, a.session.held_on)
        for a in SessionAttendee.objects.filter(
            session__cohort__in=list(cohorts)
        ).select_related("session")
        if a.email
    ]
    for email, cohort_id, day in appearances:
        assert cohort_id is not None
        here = (cohorts[cohort_id].generation, cohort_id, day)
        if email not in seen or here < seen[email]:
            seen[email] = here
    counts: dict[tuple[str, int], int] = {}
    for generation, _cohort, day in seen.values():
        key = (f"{day:%Y-%m}", generation)
        counts[key] = counts.get(key, 0) + 1
    for session in TrainingSession.objects.filter(cohort__in=list(cohorts)):
        listed = session.attendees.exclude(email="").count()
        heads = (
            session.participants_women
            + session.participants_men
            + session.participants_other
        )
        if heads > listed:
            key = (f"{session.held_on:%Y-%m}", cohorts[session.cohort_id].generation)
            counts[key] = counts.get(key, 0) + heads - listed
    return counts


def test_the_months_add_up_to_the_reach_by_generation(demo_cascade):
    data = trainer_reach_over_time(user=demo_cascade)
    reach = cascade_reach_for_trainer(user=demo_cascade)
    assert len(data.months) > 1
    assert dict(zip(data.generations, data.totals, strict=True)) == {
        g: f.reached for g, f in reach.generations() if f.reached
    }
    programme = programme_reach_over_time()
    assert programme.total == sum(
        c.reach.total.reached for c in cascade_reach_by_course()
    )


def test_the_months_are_consecutive(demo_cascade):
    months = [m.month for m in trainer_reach_over_time(user=demo_cascade).months]
    for before, after in zip(months, months[1:], strict=False):
        assert after == (before + datetime.timedelta(days=32)).replace(day=1)


def page_table(html: str) -> dict[tuple[str, int], int]:
    table = re.search(r'<table id="reach-over-time-table">.*?</table>', html, re.S)
    assert table
    root = ET.fromstring(table.group(0))
    generations = [
        number(r"(\d+)", th.text) for th in root.findall("thead/tr/th")[1:-1]
    ]
    shown: dict[tuple[str, int], int] = {}
    for row in root.findall("tbody/tr"):
        cells = [int(td.text or "") for td in row.findall("td")]
        assert cells[-1] == sum(cells[:-1])  # the row total
        for generation, n in zip(generations, cells[:-1], strict=True):
            if n:
                shown[(attr(row, "data-month"), generation)] = n
    return shown


def test_the_table_on_the_cascade_page_shows_what_the_data_holds(
    client,
    demo_cascade,
):
    client.force_login(demo_cascade)
    html = client.get(reverse("trainer_cascade")).content.decode()
    assert page_table(html) == counted_from_the_data(demo_cascade)
    svg = ET.fromstring(
        re.search(r'<svg [^>]*id="reach-over-time".*?</svg>', html, re.S).group(0)
    )
    bars = {
        (g.get("data-month"), int(r.get("data-generation"))): int(r.get("data-reached"))
        for g in svg.iter(f"{SVG}g")
        if g.get("data-month")
        for r in g.iter(f"{SVG}rect")
    }
    assert bars == page_table(html)


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_trainers_csv_has_the_same_figures(client, demo_cascade):
    client.force_login(demo_cascade)
    response = client.get(reverse("trainer_cascade_months_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows, total = csv_rows(b"".join(response.streaming_content))
    generations = [int(re.search(r"\d+", h).group(0)) for h in header[1:-1]]
    from_csv = {
        (row[0], g): int(n)
        for row in rows
        for g, n in zip(generations, row[1:-1], strict=True)
        if int(n)
    }
    assert from_csv == counted_from_the_data(demo_cascade)
    assert int(total[-1]) == cascade_reach_for_trainer(user=demo_cascade).total.reached


def test_the_trainers_csv_is_refused_to_anonymous_visitors(client, db):
    response = client.get(reverse("trainer_cascade_months_csv"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_trainers_csv_gives_an_outsider_nothing_of_anyone_elses(
    client,
    demo_cascade,
    outsider,
    participant,
):
    for person in (outsider, participant):
        client.force_login(person)
        assert client.get(reverse("trainer_cascade_months_csv")).status_code == 404


def test_the_admin_csv_is_refused_to_participants_and_trainers(
    client,
    demo_cascade,
    participant,
):
    url = "/admin/programme-reports/export/cascade_months.csv"
    for person in (participant, demo_cascade):
        client.force_login(person)
        assert client.get(url).status_code in {302, 403}


def test_the_admin_csv_and_report_show_the_programme_months(
    client,
    demo_cascade,
    admin_user,
):
    client.force_login(admin_user)
    html = client.get("/admin/programme-reports/cascades/").content.decode()
    shown = page_table(html)
    data = programme_reach_over_time()
    assert sum(shown.values()) == data.total
    reauthenticate(client)
    response = client.get("/admin/programme-reports/export/cascade_months.csv")
    assert response.status_code == 200
    header, *rows, total = csv_rows(b"".join(response.streaming_content))
    assert [r[0] for r in rows] == [f"{m.month:%Y-%m}" for m in data.months]
    assert [int(n) for n in total[1:]] == [*data.totals, data.total]
