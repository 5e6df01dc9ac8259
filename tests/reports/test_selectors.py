from datetime import date

import pytest

from reports import selectors
from reports.filters import ReportFilters
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows_by_label(table):
    return {row["label"]: row for row in table.rows}


def test_enrolment_counts_by_country_have_a_totals_row_equal_to_all_enrolments(
    programme,
):
    table = selectors.enrolment_counts(ReportFilters(), by="country")
    rows = rows_by_label(table)
    assert rows["Uganda"]["total"] == 5
    assert rows["Brazil"]["total"] == 2
    assert rows["Not stated"]["total"] == 1
    assert table.totals["total"] == 8
    assert table.totals["completed"] == 2


def test_enrolment_counts_split_by_status_and_gender(programme):
    status = rows_by_label(selectors.enrolment_counts(ReportFilters(), by="status"))
    assert (status["Active"]["total"], status["Withdrawn"]["total"]) == (5, 1)
    gender = rows_by_label(selectors.enrolment_counts(ReportFilters(), by="gender"))
    assert gender["Woman"]["total"] == 4


def test_enrolment_counts_by_quarter_group_months_together(programme):
    table = selectors.enrolment_counts(
        ReportFilters(granularity="quarter"), by="period"
    )
    assert [(r["label"], r["total"]) for r in table.rows] == [
        ("2025 Q1", 4),
        ("2025 Q2", 4),
    ]


def test_filters_combine_course_country_and_period(programme):
    filters = ReportFilters(
        course_id=programme.integration.pk,
        country="UG",
        date_from=date(2025, 1, 1),
        date_to=date(2025, 1, 31),
    )
    table = selectors.enrolment_counts(filters, by="course")
    assert table.totals["total"] == 1


def test_institution_filter_ignores_case(programme):
    table = selectors.enrolment_counts(ReportFilters(institution="MINISTRY"))
    assert table.totals["total"] == 4


def test_sort_is_applied_only_for_whitelisted_columns(programme):
    table = selectors.enrolment_counts(ReportFilters(), by="country", sort="label")
    assert [r["label"] for r in table.rows] == ["Brazil", "Not stated", "Uganda"]
    table = selectors.enrolment_counts(ReportFilters(), by="country", sort="password")
    assert table.sort == "-total"


def test_completion_rate_and_median_days_to_complete(programme):
    table = selectors.completion_by_course(ReportFilters())
    integration = rows_by_label(table)["Integration"]
    assert integration["completion_rate"] == 50.0
    # 10 days and 30 days: the median is 20.
    assert integration["median_days"] == 20.0
    assert table.totals["median_days"] == 20.0


def test_dropoff_counts_the_enrolments_that_reached_each_module(programme):
    rows = selectors.module_dropoff(ReportFilters(course_id=programme.integration.pk))
    assert [(r["label"], r["reached"], r["enrolled"]) for r in rows] == [
        ("Module 1", 3, 4),
        ("Module 2", 2, 4),
    ]


def test_certificates_are_counted_by_status_per_course(programme):
    table = selectors.certificate_counts(ReportFilters())
    rows = rows_by_label(table)
    assert (rows["Integration"]["issued"], rows["Integration"]["pending"]) == (2, 1)
    assert rows["Train the trainer"]["revoked"] == 1
    assert table.totals == {"issued": 2, "pending": 1, "revoked": 1, "label": "Total"}


def test_certificates_in_a_period_count_by_issue_date(programme):
    table = selectors.certificate_counts(
        ReportFilters(date_from=date(2025, 3, 1), date_to=date(2025, 3, 31))
    )
    assert table.totals["issued"] == 1
    assert table.totals["revoked"] == 0


def test_cascade_reach_counts_a_person_once_per_cascade(programme):
    summary = selectors.cascade_summary(ReportFilters())
    generations = {g["generation"]: g for g in summary["by_generation"]}
    # Gulu: 2 enrolled + 1 new named attendee (the other is enrolled there).
    assert generations[2]["reach"] == 3
    assert summary["reach"] == 5
    assert [row["label"] for row in summary["by_course"]] == ["Train the trainer"]


def test_cascade_course_filter_picks_that_courses_cascades(programme):
    summary = selectors.cascade_summary(
        ReportFilters(course_id=programme.integration.pk)
    )
    assert summary["reach"] == 0 and summary["by_generation"] == []


def test_cascade_report_names_the_filters_that_do_not_apply(programme):
    summary = selectors.cascade_summary(ReportFilters(institution="Ministry"))
    assert summary["ignored_filters"] == ["institution"]


def test_impact_numbers_equal_the_report_totals(programme):
    numbers = selectors.impact_numbers()
    everything = ReportFilters()
    assert (
        numbers["enrolments"] == selectors.enrolment_counts(everything).totals["total"]
    )
    assert (
        numbers["certificates"]
        == (selectors.certificate_counts(everything).totals["issued"])
    )
    assert numbers["cascade_reach"] == selectors.cascade_summary(everything)["reach"]
    assert numbers["participants"] == 5
    assert numbers["countries"] == 2
    assert numbers["courses"] == 2


def test_institutions_are_grouped_whatever_their_case_under_the_commonest_spelling(
    programme,
):
    from tests.factories import make_enrolment

    make_enrolment(
        user=UserFactory(institution=" MINISTRY "), course=programme.integration
    )
    make_enrolment(user=UserFactory(institution="ministry"), course=programme.tot)
    table = selectors.enrolment_counts(ReportFilters(), by="institution")
    rows = rows_by_label(table)
    # By enrolments: "Ministry" 2, "ministry" 3 (2 + 1), " MINISTRY " 1.
    assert rows["ministry"]["total"] == 6
    assert "Ministry" not in rows and "MINISTRY" not in rows
    assert rows["Itamaraty"]["total"] == 2
    assert table.totals["total"] == 10
    assert table.groups == 3


def test_institution_filter_matches_the_grouping_despite_spaces(programme):
    from tests.factories import make_enrolment

    make_enrolment(
        user=UserFactory(institution=" MINISTRY "), course=programme.integration
    )
    table = selectors.enrolment_counts(ReportFilters(institution="Ministry "))
    assert table.totals["total"] == 5


def test_a_cut_cohort_table_still_totals_and_counts_every_cohort(programme):
    table = selectors.enrolment_counts(ReportFilters(), by="cohort", limit=2)
    assert [r["label"] for r in table.rows] == ["No cohort", "Gulu"]
    assert [r["total"] for r in table.rows] == [4, 2]
    assert table.groups == 4 and table.rows_hidden == 2
    assert table.totals["total"] == 8


def test_a_cohort_table_sorted_by_name_is_sorted_in_the_database(programme):
    table = selectors.enrolment_counts(ReportFilters(), by="cohort", sort="-label")
    assert [r["label"] for r in table.rows] == [
        "ToT Kampala",
        "Lira",
        "Gulu",
        "No cohort",
    ]
    assert table.sort == "-label"


def test_dropoff_counts_an_enrolment_in_every_module_up_to_its_furthest(programme):
    from enrolment.services import lesson_complete

    # people[2] skipped to the last lesson of module 2.
    lesson_complete(
        enrolment=programme.people[2].enrolments.get(course=programme.integration),
        lesson=programme.lessons[-1],
    )
    rows = selectors.module_dropoff(ReportFilters())
    assert [(r["label"], r["reached"], r["enrolled"]) for r in rows] == [
        ("Module 1", 3, 4),
        ("Module 2", 3, 4),
        ("Module 1", 0, 4),
    ]


def test_dropoff_follows_the_enrolment_filters(programme):
    rows = selectors.module_dropoff(ReportFilters(country="BR"))
    assert [(r["label"], r["reached"], r["enrolled"]) for r in rows] == [
        ("Module 1", 1, 1),
        ("Module 2", 0, 1),
        ("Module 1", 0, 1),
    ]


def test_chart_data_is_served_from_the_cache_for_the_same_filters(
    programme, django_assert_num_queries
):
    filters = ReportFilters(country="UG")
    first = selectors.cached_for_filters(selectors.activity_over_time, filters)
    with django_assert_num_queries(0):  # the cache only, no aggregate
        again = selectors.cached_for_filters(selectors.activity_over_time, filters)
    assert again == first
    other = selectors.cached_for_filters(
        selectors.activity_over_time, ReportFilters(country="BR")
    )
    assert sum(r["enrolled"] for r in other) == 2


def test_cached_figures_count_a_new_enrolment_at_once(
    programme, django_capture_on_commit_callbacks
):
    from courses.models import CoursePage
    from enrolment.services import enrolment_create
    from tests.factories import UserFactory

    filters = ReportFilters()
    before = selectors.cached_for_filters(selectors.enrolment_counts, filters)
    with django_capture_on_commit_callbacks(execute=True):  # as once committed
        enrolment_create(
            user=UserFactory(), course=CoursePage.objects.first(), source="self"
        )
    after = selectors.cached_for_filters(selectors.enrolment_counts, filters)
    assert after.totals["total"] == before.totals["total"] + 1


def test_cached_figures_count_a_withdrawal_at_once(
    programme, django_capture_on_commit_callbacks
):
    from enrolment.models import Enrolment
    from enrolment.services import enrolment_withdraw

    filters = ReportFilters()
    before = selectors.cached_for_filters(selectors.enrolment_counts, filters)
    enrolment = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE).first()
    with django_capture_on_commit_callbacks(execute=True):
        enrolment_withdraw(enrolment=enrolment)
    after = selectors.cached_for_filters(selectors.enrolment_counts, filters)
    assert after.totals["withdrawn"] == before.totals["withdrawn"] + 1
    assert after.totals == selectors.enrolment_counts(filters).totals


def test_cached_dropoff_counts_progress_further_on_at_once(
    programme, django_capture_on_commit_callbacks
):
    from enrolment.services import lesson_complete

    filters = ReportFilters(course_id=programme.integration.pk)
    before = selectors.cached_for_filters(selectors.module_dropoff, filters)
    assert [r["reached"] for r in before] == [3, 2]
    with django_capture_on_commit_callbacks(execute=True):
        lesson_complete(
            enrolment=programme.people[2].enrolments.get(course=programme.integration),
            lesson=programme.lessons[-1],
        )
    after = selectors.cached_for_filters(selectors.module_dropoff, filters)
    assert [r["reached"] for r in after] == [3, 3]
    assert after == selectors.module_dropoff(filters)


def test_cached_dropoff_follows_a_module_moved_at_once(
    programme, django_capture_on_commit_callbacks
):
    from courses.models import ModulePage

    filters = ReportFilters(course_id=programme.integration.pk)
    before = selectors.cached_for_filters(selectors.module_dropoff, filters)
    assert [(r["label"], r["reached"]) for r in before] == [
        ("Module 1", 3),
        ("Module 2", 2),
    ]
    first, second = ModulePage.objects.child_of(programme.integration).order_by("path")
    with django_capture_on_commit_callbacks(execute=True):
        second.move(first, pos="left")
    after = selectors.cached_for_filters(selectors.module_dropoff, filters)
    # people[2] only did lesson 1.1, now in the second module.
    assert [(r["label"], r["reached"]) for r in after] == [
        ("Module 2", 3),
        ("Module 1", 3),
    ]
    assert after == selectors.module_dropoff(filters)
