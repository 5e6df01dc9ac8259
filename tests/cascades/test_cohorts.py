import pytest
from django.core.exceptions import ValidationError

from cascades.services import cohort_open, cohort_set_parent
from enrolment.models import Cohort
from tests.factories import make_cohort


def test_trainer_opens_a_cohort_under_the_cohort_they_were_trained_in(
    qualified_trainer, workshop, expert_cohort
):
    cohort = cohort_open(
        trainer=qualified_trainer, course=workshop, name="Douala 1", country="CM"
    )
    assert cohort.parent == expert_cohort
    assert cohort.trainer == qualified_trainer
    assert len(cohort.enrolment_key) == 8


def test_an_explicit_enrolment_key_is_kept(qualified_trainer, workshop):
    cohort = cohort_open(
        trainer=qualified_trainer, course=workshop, name="D", enrolment_key="DOUALA-2"
    )
    assert cohort.enrolment_key == "DOUALA-2"


def test_a_key_already_used_is_refused(qualified_trainer, workshop, expert_cohort):
    expert_cohort.enrolment_key = "TAKEN"
    expert_cohort.save()
    with pytest.raises(ValidationError) as exc:
        cohort_open(
            trainer=qualified_trainer, course=workshop, name="D", enrolment_key="taken"
        )
    assert "enrolment_key" in exc.value.message_dict
    assert Cohort.objects.count() == 1


def test_someone_not_qualified_cannot_open_a_cohort(outsider, workshop):
    with pytest.raises(ValidationError) as exc:
        cohort_open(trainer=outsider, course=workshop, name="X")
    assert "course" in exc.value.message_dict
    assert not Cohort.objects.filter(name="X").exists()


def test_set_parent_refuses_a_descendant_as_parent(workshop, admin_user):
    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    c = make_cohort(course=workshop, name="C", parent=b)
    with pytest.raises(ValidationError):
        cohort_set_parent(cohort=a, parent=c, actor=admin_user)
    a.refresh_from_db()
    assert a.parent is None


def test_set_parent_refuses_the_cohort_itself(workshop, admin_user):
    a = make_cohort(course=workshop, name="A")
    with pytest.raises(ValidationError):
        cohort_set_parent(cohort=a, parent=a, actor=admin_user)


def test_set_parent_accepts_a_cohort_of_another_branch(workshop, admin_user):
    a = make_cohort(course=workshop, name="A")
    b = make_cohort(course=workshop, name="B", parent=a)
    other = make_cohort(course=workshop, name="Other")
    cohort_set_parent(cohort=b, parent=other, actor=admin_user)
    b.refresh_from_db()
    assert b.parent == other
