from django.utils import timezone

from cascades.models import TrainerQualification
from cascades.services import (
    qualification_grant,
    qualification_withdraw,
    qualifications_from_completion,
)
from enrolment.hooks import on_course_completed
from tests.factories import make_enrolment


def _completed(user, cohort):
    return make_enrolment(
        user=user,
        course=cohort.course,
        cohort=cohort,
        status="completed",
        completed_at=timezone.now(),
    )


def test_completing_a_tot_qualifies_for_every_course_it_qualifies_for(
    participant, expert_cohort, workshop
):
    enrolment = _completed(participant, expert_cohort)
    qualifications_from_completion(enrolment=enrolment)
    rows = TrainerQualification.objects.filter(user=participant)
    assert {q.course_id for q in rows} == {expert_cohort.course_id, workshop.pk}
    assert {q.qualifying_enrolment_id for q in rows} == {enrolment.pk}


def test_qualification_on_completion_is_idempotent(participant, expert_cohort):
    enrolment = _completed(participant, expert_cohort)
    qualifications_from_completion(enrolment=enrolment)
    again = qualifications_from_completion(enrolment=enrolment)
    assert again == []
    assert TrainerQualification.objects.filter(user=participant).count() == 2


def test_completing_a_self_paced_course_qualifies_nobody(participant, workshop):
    from tests.factories import make_cohort

    cohort = make_cohort(course=workshop)
    qualifications_from_completion(enrolment=_completed(participant, cohort))
    assert not TrainerQualification.objects.filter(user=participant).exists()


def test_cascades_listens_to_the_course_completed_hook():
    from cascades import services

    assert services.qualifications_from_completion in on_course_completed.receivers


def test_staff_grant_records_the_qualifying_enrolment_when_there_is_one(
    participant, admin_user, expert_cohort, workshop
):
    enrolment = _completed(participant, expert_cohort)
    q = qualification_grant(user=participant, course=workshop, granted_by=admin_user)
    assert q.granted_by == admin_user
    assert q.qualifying_enrolment == enrolment


def test_grant_twice_keeps_one_active_qualification(participant, admin_user, workshop):
    qualification_grant(user=participant, course=workshop, granted_by=admin_user)
    qualification_grant(user=participant, course=workshop, granted_by=admin_user)
    assert TrainerQualification.objects.filter(user=participant).count() == 1


def test_withdrawn_qualification_no_longer_counts_and_can_be_granted_again(
    participant, admin_user, workshop
):
    q = qualification_grant(user=participant, course=workshop, granted_by=admin_user)
    qualification_withdraw(qualification=q, withdrawn_by=admin_user)
    q.refresh_from_db()
    assert q.withdrawn_at is not None and q.withdrawn_by == admin_user
    again = qualification_grant(
        user=participant, course=workshop, granted_by=admin_user
    )
    assert again.pk != q.pk
