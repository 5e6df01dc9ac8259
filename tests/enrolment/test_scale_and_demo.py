import io

from django.core.management import call_command

from enrolment.models import Cohort, Enrolment, LessonProgress


def test_generate_scale_data_makes_small_data_and_is_idempotent(site):
    args = [
        "--participants",
        "30",
        "--cohorts",
        "12",
        "--progress",
        "100",
        "--modules",
        "2",
        "--lessons-per-module",
        "3",
    ]
    call_command("generate_scale_data", *args, stdout=io.StringIO())
    call_command("generate_scale_data", *args, stdout=io.StringIO())
    assert Enrolment.objects.count() == 30
    assert Cohort.objects.count() == 12
    assert LessonProgress.objects.count() == 100
    cohort = Cohort.objects.order_by("pk").last()
    assert cohort.parent is not None and cohort.trainer is not None


def test_demo_load_is_idempotent_and_skips_missing_courses(site):
    from demo import enrolment as demo

    out = io.StringIO()
    demo.load(stdout=out, debug=True)
    demo.load(stdout=out, debug=True)
    assert "amina@demo.relais.local" in out.getvalue()
    assert not Enrolment.objects.exists()  # flagship courses not loaded here


def test_demo_enrols_participants_in_the_flagship_course(site):
    from demo import enrolment as demo
    from tests.factories import make_course

    make_course(title="Integration", slug=demo.INTEGRATION_SLUG)
    demo.load(stdout=io.StringIO(), debug=True)
    demo.load(stdout=io.StringIO(), debug=True)
    assert Cohort.objects.filter(enrolment_key=demo.KEY).count() == 1
    assert Enrolment.objects.filter(course__slug=demo.INTEGRATION_SLUG).count() == 2
