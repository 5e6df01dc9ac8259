import pytest

from tests.factories import make_cohort, make_course, make_enrolment


@pytest.fixture
def tot_course(site):
    course = make_course(
        title="Capacity development ToT",
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=2,
    )
    return course


@pytest.fixture
def workshop(site):
    return make_course(title="Delivering the workshop", modules=1, lessons_per_module=2)


@pytest.fixture
def tot_qualifies(tot_course, workshop):
    tot_course.qualifies_for.set([tot_course, workshop])
    tot_course.save()
    return tot_course


@pytest.fixture
def expert_cohort(tot_qualifies):
    return make_cohort(course=tot_qualifies, name="Experts Yaoundé", country="CM")


@pytest.fixture
def qualified_trainer(trainer, expert_cohort, workshop):
    """`trainer` completed the ToT in the expert cohort and is qualified."""
    from django.utils import timezone

    from cascades.services import qualifications_from_completion

    enrolment = make_enrolment(
        user=trainer,
        course=expert_cohort.course,
        cohort=expert_cohort,
        status="completed",
        completed_at=timezone.now(),
    )
    qualifications_from_completion(enrolment=enrolment)
    return trainer


@pytest.fixture
def demo_cascade(site):
    """The demo cascade (demo/cascades.py) under its two courses; its trainer."""
    import io

    from accounts.models import User
    from demo import cascades as demo_cascades

    make_course(
        title="ToT",
        slug=demo_cascades.TOT_SLUG,
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=2,
    )
    make_course(
        title="Workshop",
        slug=demo_cascades.WORKSHOP_SLUG,
        modules=1,
        lessons_per_module=2,
    )
    demo_cascades.load(stdout=io.StringIO(), debug=False)
    return User.objects.get(email=demo_cascades.TRAINER_EMAIL)
