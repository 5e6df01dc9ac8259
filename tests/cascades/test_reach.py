"""The cascade's reach: generations, people counted once, anonymous counts,
trainers produced, multiplier. Read with the ORM from the stored tree, in a
fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cascades.models import SessionAttendee, TrainingSession
from cascades.selectors import (
    cascade_reach_by_course,
    cascade_reach_for_trainer,
    cascade_tree,
)
from cascades.services import qualification_grant, qualifications_from_completion
from tests.factories import UserFactory, make_cohort, make_enrolment


def _session(cohort, *, women=0, men=0, other=0, attendees=()):
    session = TrainingSession.objects.create(
        cohort=cohort,
        held_on=datetime.date(2025, 3, 1),
        place="Kampala",
        duration_hours=Decimal("6"),
        participants_women=women,
        participants_men=men,
        participants_other=other,
    )
    for name, email in attendees:
        SessionAttendee.objects.create(session=session, name=name, email=email)
    return session


@pytest.fixture
def cascade(tot_qualifies, workshop, trainer):
    """expert root (gen 1, UG) -> trainer's ToT cohort (gen 2, UG)
    -> a graduate's workshop cohort (gen 3, KE)."""
    expert = UserFactory(email="expert@example.org")
    root = make_cohort(course=tot_qualifies, name="Root", country="UG", trainer=expert)
    mine = make_cohort(
        course=tot_qualifies, name="Mine", country="UG", trainer=trainer, parent=root
    )
    # Granted by staff (no qualifying enrolment, so not a trainer "produced"):
    # a trainer's cascade is read from the cohorts they are qualified for.
    qualification_grant(user=trainer, course=tot_qualifies, granted_by=None)
    graduate = UserFactory(email="grad@example.org")
    enrolment = make_enrolment(
        user=graduate,
        course=tot_qualifies,
        cohort=mine,
        status="completed",
        completed_at=timezone.now(),
    )
    qualifications_from_completion(enrolment=enrolment)
    theirs = make_cohort(
        course=workshop, name="Theirs", country="KE", trainer=graduate, parent=mine
    )
    return {"root": root, "mine": mine, "theirs": theirs, "graduate": graduate}


def test_generations_are_depths_counted_from_the_expert_root(cascade, trainer):
    make_enrolment(
        user=UserFactory(), course=cascade["theirs"].course, cohort=cascade["theirs"]
    )
    reach = cascade_reach_for_trainer(user=trainer)
    assert sorted(reach.by_generation) == [2, 3]
    assert reach.by_generation[2].people == 1  # the graduate
    assert reach.by_generation[3].people == 1


def test_a_person_enrolled_and_listed_at_a_session_counts_once(cascade, trainer):
    person = UserFactory(email="Dora@Example.org")
    make_enrolment(
        user=person, course=cascade["theirs"].course, cohort=cascade["theirs"]
    )
    _session(cascade["theirs"], women=1, attendees=[("Dora", "dora@example.org")])
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.total.people == 2  # graduate + Dora
    assert reach.total.anonymous == 0


def test_anonymous_session_counts_add_up_as_given(cascade, trainer):
    _session(
        cascade["theirs"],
        women=4,
        men=3,
        other=1,
        attendees=[("Eve", "eve@example.org")],
    )
    _session(cascade["theirs"], women=2)
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.total.anonymous == 7 + 2
    assert reach.total.people == 2  # graduate + Eve
    assert reach.total.reached == 11


def test_trainers_produced_and_multiplier(cascade, trainer):
    for _i in range(3):
        make_enrolment(
            user=UserFactory(),
            course=cascade["theirs"].course,
            cohort=cascade["theirs"],
        )
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.total.trainers == 1
    assert reach.total.reached == 4
    assert reach.total.multiplier == 4.0


def test_withdrawn_enrolments_do_not_count(cascade, trainer):
    make_enrolment(
        user=UserFactory(),
        course=cascade["theirs"].course,
        cohort=cascade["theirs"],
        status="withdrawn",
    )
    assert cascade_reach_for_trainer(user=trainer).total.people == 1


def test_a_trainer_cascade_excludes_the_cohorts_above_and_beside(cascade, trainer):
    sibling = make_cohort(
        course=cascade["root"].course, name="Sibling", parent=cascade["root"]
    )
    make_enrolment(user=UserFactory(), course=sibling.course, cohort=sibling)
    make_enrolment(
        user=UserFactory(), course=cascade["root"].course, cohort=cascade["root"]
    )
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.total.cohorts == 2
    assert reach.total.people == 1


def test_reach_by_country(cascade, trainer):
    make_enrolment(
        user=UserFactory(), course=cascade["theirs"].course, cohort=cascade["theirs"]
    )
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.by_country["UG"].people == 1
    assert reach.by_country["KE"].people == 1


def test_admin_view_groups_every_cascade_by_root_course(cascade, workshop):
    other_root = make_cohort(course=workshop, name="Workshop pilot", country="BR")
    make_enrolment(user=UserFactory(), course=workshop, cohort=other_root)
    by_course = {c.course_id: c.reach for c in cascade_reach_by_course()}
    assert by_course[cascade["root"].course_id].total.cohorts == 3
    assert by_course[cascade["root"].course_id].by_generation[1].cohorts == 1
    assert by_course[workshop.pk].total.people == 1


def _reach_queries(trainer) -> int:
    with CaptureQueriesContext(connection) as ctx:
        cascade_reach_for_trainer(user=trainer)
    return len(ctx.captured_queries)


def test_reach_is_a_fixed_number_of_queries_whatever_the_size(cascade, trainer):
    small = _reach_queries(trainer)
    for _i in range(5):
        more = make_cohort(
            course=cascade["theirs"].course, name="More", parent=cascade["theirs"]
        )
        make_enrolment(user=UserFactory(), course=more.course, cohort=more)
        _session(more, women=2, attendees=[("Ann", f"ann{_i}@example.org")])
    assert small <= 5
    assert _reach_queries(trainer) == small


def test_the_tree_nests_descendants_and_marks_own_cohorts(cascade, trainer):
    roots, truncated = cascade_tree(trainer=trainer)
    assert not truncated
    assert [n.cohort.name for n in roots] == ["Mine"]
    assert roots[0].own and roots[0].generation == 2
    assert [(n.cohort.name, n.own, n.generation) for n in roots[0].children] == [
        ("Theirs", False, 3)
    ]


def test_the_cached_trainer_summary_counts_a_new_enrolment_at_once(
    cascade, trainer, django_capture_on_commit_callbacks
):
    from cascades.selectors import trainer_summary
    from relais.caching import changed

    _cohorts, before = trainer_summary(user=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        make_enrolment(
            user=UserFactory(),
            course=cascade["theirs"].course,
            cohort=cascade["theirs"],
        )
        changed("enrolments")  # what the enrolment services announce
    cohorts, after = trainer_summary(user=trainer)
    assert after.total.people == before.total.people + 1
    assert [c.name for c in cohorts] == ["Mine"]


def test_the_cached_trainer_summary_follows_a_cohort_moved_out_of_the_cascade(
    cascade, trainer, django_capture_on_commit_callbacks
):
    from cascades.selectors import trainer_summary
    from cascades.services import cohort_set_parent

    assert trainer_summary(user=trainer)[1].total.cohorts == 2
    with django_capture_on_commit_callbacks(execute=True):
        cohort_set_parent(cohort=cascade["theirs"], parent=cascade["root"], actor=None)
    assert trainer_summary(user=trainer)[1].total.cohorts == 1


def test_the_cached_trainer_summary_runs_no_query_when_nothing_changed(
    cascade, trainer
):
    from cascades.selectors import trainer_summary

    first = trainer_summary(user=trainer)
    with CaptureQueriesContext(connection) as ctx:
        again = trainer_summary(user=trainer)
    assert len(ctx.captured_queries) == 0  # the cache's group versions only
    assert again == first
