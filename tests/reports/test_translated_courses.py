"""A course and its translations count as one course in the reports, with a
breakdown by language of study; the impact page counts courses as the
catalogue lists them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.utils import translation

from certificates.models import Certificate
from courses.selectors import CatalogueFilters, catalogue_courses
from demo.reports import impact_page_ensure
from enrolment.models import Enrolment
from reports import selectors
from reports.exports import report_export
from reports.filters import ReportFilters
from tests.factories import UserFactory, make_course, make_enrolment

pytestmark = pytest.mark.django_db


def at(day):
    return datetime(2026, 3, day, 12, tzinfo=UTC)


@pytest.fixture
def translated(site):
    """Integration in English (3 enrolments, 1 completed) and its French
    translation (2 enrolments, 1 completed, 1 withdrawn), plus an English
    course nobody took."""
    english = make_course(title="Integration", modules=1, lessons_per_module=1)
    french = make_course(
        title="Intégration", language="fr", modules=1, lessons_per_module=1
    )
    french.translation_key = english.translation_key
    french.save()
    make_course(title="Untaken", modules=1, lessons_per_module=1)
    done = Enrolment.Status.COMPLETED
    for i, (course, status) in enumerate(
        [
            (english, done),
            (english, Enrolment.Status.ACTIVE),
            (english, Enrolment.Status.ACTIVE),
            (french, done),
            (french, Enrolment.Status.WITHDRAWN),
        ]
    ):
        make_enrolment(
            user=UserFactory(),
            course=course,
            enrolled_at=at(1 + i),
            status=status,
            completed_at=at(11 + i) if status == done else None,
        )
    return english, french


def test_a_translated_course_counts_once_with_its_totals(translated):
    english, french = translated
    table = selectors.enrolment_counts(ReportFilters(), by="course")
    assert len(table.rows) == 1
    (row,) = table.rows
    assert (row["total"], row["completed"], row["withdrawn"]) == (5, 2, 1)
    assert row["label"] == "Integration"
    assert row["by_language"]["en"]["total"] == 3
    assert row["by_language"]["fr"] == {
        "total": 2,
        "active": 0,
        "completed": 1,
        "withdrawn": 1,
    }
    assert table.totals["total"] == 5


def test_the_course_is_named_in_the_reader_language(translated):
    with translation.override("fr"):
        (row,) = selectors.enrolment_counts(ReportFilters(), by="course").rows
        (completion,) = selectors.completion_by_course(ReportFilters()).rows
    assert row["label"] == completion["label"] == "Intégration"
    with translation.override("ru"):  # no Russian translation: the default's
        (row,) = selectors.enrolment_counts(ReportFilters(), by="course").rows
    assert row["label"] == "Integration"


def test_enrolments_by_language_of_study(translated):
    with translation.override("fr"):
        table = selectors.enrolment_counts(ReportFilters(), by="language")
    by_label = {row["label"]: row for row in table.rows}
    assert set(by_label) == {"Anglais", "Français"}
    assert (by_label["Anglais"]["total"], by_label["Anglais"]["completed"]) == (3, 1)
    assert (by_label["Français"]["total"], by_label["Français"]["completed"]) == (
        2,
        1,
    )
    assert table.totals["total"] == 5


def test_completion_has_a_column_pair_per_language(translated):
    table = selectors.completion_by_course(ReportFilters())
    (row,) = table.rows
    assert (row["total"], row["completed"], row["completion_rate"]) == (5, 2, 40.0)
    assert (row["total_en"], row["completed_en"]) == (3, 1)
    assert (row["total_fr"], row["completed_fr"]) == (2, 1)
    labels = dict(table.columns)
    assert labels["total_fr"] == "Enrolments in French"
    assert labels["completed_en"] == "Completed in English"
    # The median over both translations' completions: 10 days each.
    assert row["median_days"] == 10.0
    assert (table.totals["total_fr"], table.totals["completed_fr"]) == (2, 1)


def test_the_completion_export_carries_the_breakdown(translated):
    header, rows, _count = report_export("completion", ReportFilters(), {})
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    parsed = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert parsed[0][-4:] == [
        "Enrolments in English",
        "Completed in English",
        "Enrolments in French",
        "Completed in French",
    ]
    assert parsed[1][0] == "Integration" and parsed[1][-4:] == ["3", "1", "2", "1"]
    assert len(parsed) == 3  # the course, the totals


def test_filtering_by_either_translation_counts_the_whole_course(translated):
    english, french = translated
    for course in (english, french):
        table = selectors.enrolment_counts(
            ReportFilters(course_id=course.pk), by="course"
        )
        assert [row["total"] for row in table.rows] == [5]


def test_certificates_count_a_course_once(translated):
    for enrolment in Enrolment.objects.filter(status=Enrolment.Status.COMPLETED):
        Certificate.objects.create(
            enrolment=enrolment,
            user=enrolment.user,
            code=f"TEST{enrolment.pk:06d}",
            status=Certificate.Status.ISSUED,
            issued_at=enrolment.completed_at,
            language=enrolment.course.locale.language_code,
        )
    table = selectors.certificate_counts(ReportFilters())
    assert [(row["label"], row["issued"]) for row in table.rows] == [("Integration", 2)]


def test_the_impact_page_says_the_catalogue_number(client, translated):
    catalogue = catalogue_courses(filters=CatalogueFilters(), language="en")
    assert len(catalogue) == 2  # Integration once, Untaken
    numbers = selectors.impact_numbers()
    assert numbers["courses"] == 2
    assert numbers["enrolments"] == 5
    impact_page_ensure(language="fr")
    html = client.get("/fr/impact/").content.decode()
    assert 'data-number="courses">2<' in html


def test_the_course_filter_lists_a_course_once_in_the_reader_language(translated):
    from reports.filters import ReportFilterForm

    with translation.override("fr"):
        french = [
            str(label) for _v, label in ReportFilterForm().fields["course"].choices
        ]
    with translation.override("en"):
        english = [
            str(label) for _v, label in ReportFilterForm().fields["course"].choices
        ]
    assert "Intégration" in french and "Integration" not in french
    assert "Integration" in english and "Intégration" not in english
    assert "Untaken" in french and "Untaken" in english


def test_the_report_pages_show_the_breakdown(client, admin_user, translated):
    client.force_login(admin_user)
    html = client.get("/admin/programme-reports/enrolments/?by=language").content
    page = html.decode()
    assert "Language of study" in page
    assert ">English<" in page and ">French<" in page
    completion = client.get("/admin/programme-reports/completion/").content.decode()
    assert "Enrolments in French" in completion
    assert completion.count('<th scope="row">Integration</th>') == 1
