import io

from cascades.models import TrainerQualification
from cascades.selectors import (
    cascade_reach_by_course,
    cascade_reach_for_trainer,
)
from demo import cascades as demo
from enrolment.models import Cohort
from tests.factories import make_course


def test_demo_loads_a_three_generation_cascade_in_six_countries_once(site):
    tot = make_course(
        title="ToT",
        slug=demo.TOT_SLUG,
        kind="train_the_trainer",
        modules=1,
        lessons_per_module=2,
    )
    make_course(
        title="Workshop", slug=demo.WORKSHOP_SLUG, modules=1, lessons_per_module=2
    )
    out = io.StringIO()
    demo.load(stdout=out, debug=True)
    demo.load(stdout=out, debug=True)
    assert demo.TRAINER_EMAIL in out.getvalue()
    roots = Cohort.objects.filter(course=tot, parent__isnull=True)
    assert {c.country.code for c in roots} == {"BR", "CM", "CR", "SV", "KG", "UG"}
    by_gen = cascade_reach_by_course()[0].reach.by_generation
    assert sorted(by_gen) == [1, 2, 3]
    trained_by_experts = TrainerQualification.objects.filter(
        course=tot, qualifying_enrolment__cohort__in=roots
    ).count()
    assert trained_by_experts == 80
    from accounts.models import User

    trainer = User.objects.get(email=demo.TRAINER_EMAIL)
    assert trainer.check_password(demo.TRAINER_PASSWORD)
    reach = cascade_reach_for_trainer(user=trainer)
    assert reach.total.trainers >= 1 and 3 in reach.by_generation


def test_demo_skips_quietly_without_the_courses(site):
    out = io.StringIO()
    demo.load(stdout=out, debug=True)
    assert not Cohort.objects.exists()
