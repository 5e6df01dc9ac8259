import pytest

from enrolment import services
from enrolment.models import Enrolment, EnrolmentEvent, LessonProgress
from tests.factories import make_cohort, make_course

SELF = Enrolment.Source.SELF


def test_enrolment_create_enrols_once_per_course(participant, course):
    enrolment = services.enrolment_create(user=participant, course=course, source=SELF)
    assert enrolment.status == Enrolment.Status.ACTIVE
    with pytest.raises(services.AlreadyEnrolled):
        services.enrolment_create(user=participant, course=course, source=SELF)
    assert Enrolment.objects.filter(user=participant).count() == 1


def test_enrolment_create_records_an_event(participant, course):
    enrolment = services.enrolment_create(user=participant, course=course, source=SELF)
    assert list(enrolment.events.values_list("status", flat=True)) == ["active"]


def test_rejoining_after_withdrawal_reactivates_the_same_row_keeping_progress(
    participant, course, lessons
):
    enrolment = services.enrolment_create(user=participant, course=course, source=SELF)
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    services.enrolment_withdraw(enrolment=enrolment, actor=participant)
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    again = services.enrolment_create(user=participant, course=course, source=SELF)
    assert again.pk == enrolment.pk
    assert again.status == Enrolment.Status.ACTIVE
    assert LessonProgress.objects.filter(enrolment=again).count() == 1
    statuses = list(
        EnrolmentEvent.objects.filter(enrolment=again).values_list("status", flat=True)
    )
    assert statuses == ["active", "withdrawn", "active"]


def test_enrolment_create_refuses_a_full_cohort(participant, other_participant, course):
    cohort = make_cohort(course=course, capacity=1)
    services.enrolment_create(
        user=participant, course=course, cohort=cohort, source=SELF
    )
    with pytest.raises(services.CohortFull):
        services.enrolment_create(
            user=other_participant, course=course, cohort=cohort, source=SELF
        )
    assert not Enrolment.objects.filter(user=other_participant).exists()


def test_a_withdrawn_enrolment_frees_its_seat(participant, other_participant, course):
    cohort = make_cohort(course=course, capacity=1)
    first = services.enrolment_create(
        user=participant, course=course, cohort=cohort, source=SELF
    )
    services.enrolment_withdraw(enrolment=first)
    second = services.enrolment_create(
        user=other_participant, course=course, cohort=cohort, source=SELF
    )
    assert second.cohort_id == cohort.pk


def test_enrolment_create_refuses_a_cohort_of_another_course(participant, course, site):
    other = make_course(title="Other")
    cohort = make_cohort(course=other)
    with pytest.raises(services.WrongCourse):
        services.enrolment_create(
            user=participant, course=course, cohort=cohort, source=SELF
        )


def test_enrolment_move_changes_cohort_within_the_course(
    participant, course, admin_user
):
    a = make_cohort(course=course, name="A")
    b = make_cohort(course=course, name="B")
    enrolment = services.enrolment_create(
        user=participant, course=course, cohort=a, source=SELF
    )
    services.enrolment_move(enrolment=enrolment, cohort=b, actor=admin_user)
    enrolment.refresh_from_db()
    assert enrolment.cohort_id == b.pk
    assert enrolment.events.last().note == f"moved to cohort {b.pk}"


def test_enrolment_move_refuses_another_course(participant, course, admin_user):
    a = make_cohort(course=course, name="A")
    other = make_cohort(course=make_course(title="Other"), name="B")
    enrolment = services.enrolment_create(
        user=participant, course=course, cohort=a, source=SELF
    )
    with pytest.raises(services.WrongCourse):
        services.enrolment_move(enrolment=enrolment, cohort=other, actor=admin_user)
    enrolment.refresh_from_db()
    assert enrolment.cohort_id == a.pk


def test_join_with_key_ignores_case(participant, course):
    cohort = make_cohort(course=course, enrolment_key="Integration-2026")
    enrolment = services.enrolment_join_with_key(
        user=participant, key=" integration-2026 "
    )
    assert enrolment.cohort_id == cohort.pk
    assert enrolment.source == Enrolment.Source.KEY


def test_join_with_a_wrong_key_is_refused(participant, course):
    make_cohort(course=course, enrolment_key="RIGHT")
    with pytest.raises(services.WrongKey):
        services.enrolment_join_with_key(user=participant, key="wrong")
    assert not Enrolment.objects.exists()


def test_wrong_keys_are_rate_limited_per_user_even_for_the_right_key(
    participant, course
):
    make_cohort(course=course, enrolment_key="RIGHT")
    for _ in range(services.enrolments.KEY_LIMIT):
        with pytest.raises(services.WrongKey):
            services.enrolment_join_with_key(user=participant, key="wrong")
    with pytest.raises(services.TooManyAttempts):
        services.enrolment_join_with_key(user=participant, key="RIGHT")


def test_wrong_keys_are_rate_limited_per_ip_across_users(
    participant, other_participant, course, rf
):
    make_cohort(course=course, enrolment_key="RIGHT")
    request = rf.post("/", REMOTE_ADDR="203.0.113.9")
    request.user = participant
    for _ in range(services.enrolments.KEY_LIMIT):
        with pytest.raises(services.WrongKey):
            services.enrolment_join_with_key(user=participant, key="x", request=request)
    request.user = other_participant
    with pytest.raises(services.TooManyAttempts):
        services.enrolment_join_with_key(
            user=other_participant, key="RIGHT", request=request
        )


def test_a_burst_of_wrong_keys_at_once_gets_only_the_limit_through(participant, course):
    import threading

    from django.db import connection

    make_cohort(course=course, enrolment_key="RIGHT")
    tries = 2 * services.enrolments.KEY_LIMIT + 5
    barrier = threading.Barrier(tries)
    outcomes: list[str] = []

    def one_try():
        barrier.wait()
        try:
            services.enrolment_join_with_key(user=participant, key="wrong")
        except services.EnrolmentError as exc:
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_try) for _ in range(tries)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("WrongKey") == services.enrolments.KEY_LIMIT
    assert outcomes.count("TooManyAttempts") == tries - services.enrolments.KEY_LIMIT


def test_a_right_key_does_not_use_up_the_limit(participant, other_participant, course):
    make_cohort(course=course, enrolment_key="RIGHT")
    other = make_course(title="Second course")
    make_cohort(course=other, enrolment_key="SECOND")
    for _ in range(services.enrolments.KEY_LIMIT - 1):
        with pytest.raises(services.WrongKey):
            services.enrolment_join_with_key(user=participant, key="wrong")
    services.enrolment_join_with_key(user=participant, key="RIGHT")
    services.enrolment_join_with_key(user=participant, key="SECOND")
    with pytest.raises(services.WrongKey):
        services.enrolment_join_with_key(user=participant, key="wrong")
