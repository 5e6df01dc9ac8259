"""Where a cohort sits in its cascade (generation, root, path), kept by the
services that open and move cohorts; the caches those services drop; the
certificate column filled through cascades' hooks."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cascades import hooks
from cascades.selectors import cascade_tree, cohort_participants, trainer_summary
from cascades.services import (
    cascade_tree_rebuild,
    cohort_open,
    cohort_set_parent,
    qualification_withdraw,
    session_record,
)
from enrolment.models import Cohort
from tests.factories import UserFactory, make_cohort, make_enrolment


def _place(cohort):
    cohort.refresh_from_db()
    return cohort.generation, cohort.root_id, cohort.path


def test_a_root_cohort_is_generation_one_and_its_own_root(expert_cohort):
    assert _place(expert_cohort) == (1, expert_cohort.pk, f"{expert_cohort.pk}/")


def test_an_opened_cohort_sits_below_the_cohort_its_trainer_was_trained_in(
    qualified_trainer, workshop, expert_cohort
):
    cohort = cohort_open(trainer=qualified_trainer, course=workshop, name="D1")
    assert _place(cohort) == (2, expert_cohort.pk, f"{expert_cohort.pk}/{cohort.pk}/")


def test_moving_a_cohort_moves_its_whole_subtree(workshop):
    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    c = make_cohort(course=workshop, name="C", parent=b)
    other = make_cohort(course=workshop, name="Other")
    below_other = make_cohort(course=workshop, name="Below other", parent=other)
    cohort_set_parent(cohort=b, parent=below_other, actor=None)
    prefix = f"{other.pk}/{below_other.pk}/{b.pk}/"
    assert _place(b) == (3, other.pk, prefix)
    assert _place(c) == (4, other.pk, f"{prefix}{c.pk}/")
    assert _place(a) == (1, a.pk, f"{a.pk}/")


def test_a_cohort_moved_to_the_top_becomes_the_root_of_its_subtree(workshop):
    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    c = make_cohort(course=workshop, name="C", parent=b)
    cohort_set_parent(cohort=b, parent=None, actor=None)
    assert _place(b) == (1, b.pk, f"{b.pk}/")
    assert _place(c) == (2, b.pk, f"{b.pk}/{c.pk}/")


def test_rebuild_places_cohorts_written_in_bulk_as_the_services_do(workshop):
    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    placed = {c.pk: _place(c) for c in (a, b)}
    Cohort.objects.bulk_create(
        [Cohort(course=workshop, name=f"Bulk {n}", parent=b) for n in range(3)]
    )
    assert cascade_tree_rebuild() == 3
    bulk = Cohort.objects.filter(name__startswith="Bulk")
    assert {c.pk: _place(c) for c in (a, b)} == placed
    assert {(c.generation, c.root_id, c.path) for c in bulk} == {
        (3, a.pk, f"{a.pk}/{b.pk}/{c.pk}/") for c in bulk
    }


def test_the_tree_of_a_course_is_one_query_whatever_its_size(workshop):
    root = make_cohort(course=workshop, name="Root")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            roots, truncated = cascade_tree(course_id=workshop.pk)
        assert not truncated and [n.cohort.name for n in roots] == ["Root"]
        return len(ctx.captured_queries)

    small = queries()
    parent = root
    for n in range(4):
        parent = make_cohort(course=workshop, name=f"G{n + 2}", parent=parent)
    assert small <= 1
    assert queries() == small


def _summary_reach(trainer):
    return trainer_summary(user=trainer)[1]


def test_recording_a_session_drops_the_cached_summary(
    qualified_trainer, workshop, expert_cohort, django_capture_on_commit_callbacks
):
    cohort = make_cohort(
        course=workshop, name="Mine", trainer=qualified_trainer, parent=expert_cohort
    )
    assert _summary_reach(qualified_trainer).total.anonymous == 0
    with django_capture_on_commit_callbacks(execute=True):
        session_record(
            cohort=cohort,
            recorded_by=qualified_trainer,
            held_on=datetime.date(2025, 3, 1),
            place="Douala",
            duration_hours=Decimal("3"),
            participants_women=4,
        )
    assert _summary_reach(qualified_trainer).total.anonymous == 4


def test_withdrawing_a_qualification_drops_the_cached_summary(
    qualified_trainer, tot_qualifies, expert_cohort, django_capture_on_commit_callbacks
):
    graduate = UserFactory()
    mine = make_cohort(
        course=tot_qualifies,
        name="Mine",
        trainer=qualified_trainer,
        parent=expert_cohort,
    )
    enrolment = make_enrolment(
        user=graduate, course=tot_qualifies, cohort=mine, status="completed"
    )
    with django_capture_on_commit_callbacks(execute=True):
        from cascades.services import qualifications_from_completion

        qualifications = qualifications_from_completion(enrolment=enrolment)
    assert _summary_reach(qualified_trainer).total.trainers == 1
    with django_capture_on_commit_callbacks(execute=True):
        for qualification in qualifications:
            qualification_withdraw(qualification=qualification, withdrawn_by=None)
    assert _summary_reach(qualified_trainer).total.trainers == 0


@pytest.fixture
def no_certificate_provider():
    provider = hooks.participant_certificate_status.provider
    hooks.participant_certificate_status.disconnect(provider)
    yield
    hooks.participant_certificate_status.connect(provider)


def test_the_participants_table_shows_the_certificate_status_from_certificates(
    expert_cohort, participant
):
    from certificates.models import Certificate

    enrolment = make_enrolment(
        user=participant, course=expert_cohort.course, cohort=expert_cohort
    )
    Certificate.objects.create(
        enrolment=enrolment, user=participant, code="CASCADE-STATUS", status="issued"
    )
    [row] = cohort_participants(cohort=expert_cohort)
    assert row.certificate_status == "Issued"  # a label, not the code
    with translation.override("fr"):
        [row] = cohort_participants(cohort=expert_cohort)
    assert row.certificate_status == "Délivré"


def test_without_a_certificate_provider_the_column_is_empty(
    expert_cohort, participant, no_certificate_provider
):
    make_enrolment(user=participant, course=expert_cohort.course, cohort=expert_cohort)
    [row] = cohort_participants(cohort=expert_cohort)
    assert row.certificate_status is None


def test_the_certificate_hooks_take_one_provider_each():
    with pytest.raises(RuntimeError):
        hooks.participant_certificate_status.connect(lambda **kwargs: {})


def test_the_participants_table_is_a_fixed_number_of_queries(expert_cohort):
    def queries():
        with CaptureQueriesContext(connection) as ctx:
            cohort_participants(cohort=expert_cohort)
        return len(ctx.captured_queries)

    make_enrolment(
        user=UserFactory(), course=expert_cohort.course, cohort=expert_cohort
    )
    small = queries()
    for _n in range(4):
        make_enrolment(
            user=UserFactory(), course=expert_cohort.course, cohort=expert_cohort
        )
    assert small <= 3
    assert queries() == small


def _cohort_form(course, **fields):
    data = {
        "course": course.pk,
        "name": "From the admin",
        "country": "",
        "institution": "",
        "language": "en",
        "starts_on": "",
        "ends_on": "",
        "mode": "online",
        "enrolment_key": "",
        "capacity": "",
        "trainer": "",
        "parent": "",
    }
    data.update(fields)
    return data


def test_a_cohort_added_in_the_wagtail_admin_takes_its_place(
    client, admin_user, workshop, expert_cohort
):
    from django.urls import reverse

    client.force_login(admin_user)
    response = client.post(
        reverse("cohorts:add"), _cohort_form(workshop, parent=expert_cohort.pk)
    )
    assert response.status_code == 302
    cohort = Cohort.objects.get(name="From the admin")
    assert _place(cohort) == (2, expert_cohort.pk, f"{expert_cohort.pk}/{cohort.pk}/")


def test_the_wagtail_admin_cannot_hang_a_cohort_below_its_own_descendant(
    client, admin_user, workshop
):
    from django.urls import reverse

    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    client.force_login(admin_user)
    response = client.post(
        reverse("cohorts:edit", args=[a.pk]),
        _cohort_form(workshop, name="A", parent=b.pk),
    )
    assert response.status_code != 302
    a.refresh_from_db()
    assert a.parent_id is None and _place(a) == (1, a.pk, f"{a.pk}/")
