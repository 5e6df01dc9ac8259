import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.reports.conftest import build_programme

pytestmark = pytest.mark.django_db

BASE = "/admin/programme-reports/"
REPORT_URLS = [
    f"{BASE}enrolments/",
    f"{BASE}completion/",
    f"{BASE}certificates/",
    f"{BASE}cascades/",
    f"{BASE}exports/",
    f"{BASE}export/enrolments.csv",
    f"{BASE}export/enrolment_list.xlsx",
]


@pytest.mark.parametrize("url", REPORT_URLS)
def test_anonymous_visitors_are_sent_to_the_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("url", REPORT_URLS)
@pytest.mark.parametrize("persona", ["participant", "trainer"])
def test_participants_and_trainers_are_refused(client, request, persona, url):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(url)
    # A 403 that says why, not Wagtail's redirect back to the sign-in page.
    assert response.status_code == 403
    assert b"for programme staff only" in response.content


@pytest.mark.parametrize("url", REPORT_URLS)
def test_admin_users_outside_programme_staff_get_403(client, editor, url):
    client.force_login(editor)
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", REPORT_URLS[:5])
def test_programme_staff_see_every_report(client, staff_member, programme, url):
    client.force_login(staff_member)
    assert client.get(url).status_code == 200


def test_the_enrolment_report_shows_counts_totals_and_accessible_charts(
    client, admin_user, programme
):
    client.force_login(admin_user)
    response = client.get(f"{BASE}enrolments/?by=country")
    html = response.content.decode()
    assert "Uganda" in html
    assert "<tfoot>" in html
    assert 'role="img"' in html and 'aria-labelledby="chart-time-title"' in html
    assert "<figcaption>" in html


def test_filters_in_the_query_string_narrow_the_report(client, admin_user, programme):
    client.force_login(admin_user)
    response = client.get(f"{BASE}enrolments/?country=BR&by=status")
    rows = response.context["rows"]
    assert response.context["totals"][1] == 2
    assert {r[0] for r in rows} == {"Active"}


def test_bad_filter_values_give_a_message_and_the_unfiltered_report(
    client, admin_user, programme
):
    client.force_login(admin_user)
    response = client.get(
        f"{BASE}completion/?date_from=yesterday&course=999999&sort=;drop"
    )
    assert response.status_code == 200
    assert response.context["totals"][1] == 8
    messages = [str(m) for m in response.context["messages"]]
    assert any("could not be used" in m for m in messages)


def test_a_period_that_ends_before_it_starts_is_refused(client, admin_user, programme):
    client.force_login(admin_user)
    response = client.get(
        f"{BASE}certificates/?date_from=2025-05-01&date_to=2025-01-01"
    )
    assert response.status_code == 200
    assert response.context["filters_valid"] is False


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("report", ["enrolments", "completion", "certificates"])
def test_a_date_outside_the_programme_years_is_named_with_the_allowed_range(
    client, admin_user, programme, report, day
):
    client.force_login(admin_user)
    response = client.get(f"{BASE}{report}/?date_to={day}")
    assert response.status_code == 200
    assert response.context["filters_valid"] is False
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "To: Enter a date between Jan. 1, 2000 and Dec. 31, 2099." in m
        for m in messages
    ), messages


def test_the_allowed_range_is_said_in_the_staff_language(client, admin_user, programme):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "fr"
    profile.save()
    client.force_login(admin_user)
    response = client.get(f"{BASE}enrolments/?date_from=9999-12-31")
    messages = [str(m) for m in response.context["messages"]]
    assert any("Saisissez une date entre" in m for m in messages), messages


def test_an_export_with_a_far_future_date_is_refused_with_a_message(
    client, admin_user, programme
):
    from tests.conftest import reauthenticate

    client.force_login(admin_user)
    reauthenticate(client)
    response = client.get(f"{BASE}export/enrolments.csv?date_to=9999-12-31")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}enrolments/"


def test_chart_labels_are_escaped(client, admin_user, site):
    from tests.factories import UserFactory, make_course, make_enrolment

    course = make_course(title="<script>alert(1)</script>")
    make_enrolment(user=UserFactory(), course=course)
    client.force_login(admin_user)
    html = client.get(f"{BASE}enrolments/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}enrolments/",
        f"{BASE}enrolments/?by=cohort",
        f"{BASE}enrolments/?by=cohort&sort=label",
        f"{BASE}enrolments/?by=institution&country=CM",
        f"{BASE}enrolments/?by=country",
        f"{BASE}completion/",
        f"{BASE}certificates/",
        f"{BASE}cascades/",
    ],
)
def test_each_report_runs_a_fixed_number_of_queries(
    client, admin_user, site, url, monkeypatch
):
    from reports import selectors

    # Uncached: every aggregate runs on each request.
    monkeypatch.setattr(selectors, "CHART_CACHE_SECONDS", 0)
    build_programme()
    client.force_login(admin_user)
    client.get(url)  # warm Wagtail's per-request caches
    small = _queries(client, url)
    build_programme_more()
    large = _queries(client, url)
    assert small == large


def build_programme_more():
    from courses.models import CoursePage
    from tests.factories import UserFactory, make_cohort, make_enrolment

    course = CoursePage.objects.first()
    for n in range(12):
        cohort = make_cohort(course=course, name=f"Extra {n}", country="CM")
        make_enrolment(user=UserFactory(country="CM"), course=course, cohort=cohort)


def test_a_long_table_shows_its_first_rows_and_says_how_many_are_in_the_export(
    client, admin_user, programme, monkeypatch
):
    from reports.views import pages

    monkeypatch.setattr(pages, "ROWS_ON_PAGE", 3)
    client.force_login(admin_user)
    response = client.get(f"{BASE}enrolments/?by=cohort")
    assert len(response.context["rows"]) == 3
    assert response.context["totals"][1] == 8
    assert "1 more row is in the export." in response.content.decode()


def test_the_chart_data_of_a_report_comes_from_the_cache_on_the_next_view(
    client, admin_user, programme
):
    client.force_login(admin_user)
    url = f"{BASE}completion/?country=UG"
    first = _queries(client, url)
    assert _queries(client, url) < first


def test_the_filter_selects_keep_the_chosen_values_and_escape_labels(
    client, admin_user, site
):
    from tests.factories import make_cohort, make_course

    course = make_course(title="<b>Course</b>")
    make_cohort(course=course, name="<i>Cohort</i>")
    client.force_login(admin_user)
    html = client.get(
        f"{BASE}enrolments/?country=FR&granularity=year&course={course.pk}"
    ).content.decode()
    assert '<option value="FR" selected>France</option>' in html
    assert '<option value="year" selected>' in html
    assert f'<option value="{course.pk}" selected>&lt;b&gt;Course&lt;/b&gt;' in html
    assert "&lt;i&gt;Cohort&lt;/i&gt;</option>" in html
