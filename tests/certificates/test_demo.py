import io

from django.utils import timezone

from certificates.models import Certificate
from demo import certificates as demo
from demo.accounts import ensure_verified_user
from tests.factories import make_course, make_enrolment


def test_the_demo_certifies_demo_accounts_only(db, participant):
    course = make_course(modules=1, lessons_per_module=1)
    demo_user = ensure_verified_user(
        email="amina@demo.relais.local", first_name="Amina"
    )
    done = {"status": "completed", "completed_at": timezone.now()}
    make_enrolment(user=demo_user, course=course, **done)
    make_enrolment(user=participant, course=course, **done)
    demo.load(stdout=io.StringIO(), debug=True)
    demo.load(stdout=io.StringIO(), debug=True)
    assert list(Certificate.objects.values_list("user__email", flat=True)) == [
        "amina@demo.relais.local"
    ]


def test_demo_certificates_are_issued_without_mailing_them(
    db, django_capture_on_commit_callbacks, mailoutbox
):
    """Issue 18, item 19: `make run` printed every demo certificate's email,
    PDF in base64 included; they are issued and not mailed."""
    course = make_course(modules=1, lessons_per_module=1)
    demo_user = ensure_verified_user(
        email="amina@demo.relais.local", first_name="Amina"
    )
    make_enrolment(
        user=demo_user, course=course, status="completed", completed_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        demo.load(stdout=io.StringIO(), debug=True)
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.ISSUED
    assert mailoutbox == []


def test_make_run_ends_with_the_accounts_and_where_mail_goes(settings):
    from demo.management.commands.load_demo import start_up_summary

    settings.EMAIL_HOST = ""
    settings.SITE_URL = "http://127.0.0.1:8000"
    summary = start_up_summary()
    assert len(summary.splitlines()) <= 10
    for expected in (
        "http://127.0.0.1:8000/",
        "admin@relais.local / relais-admin",
        "trainer@relais.local / relais-trainer",
        "relais-demo",
        "INTEGRATION-2026",
        "printed in this terminal",
    ):
        assert expected in summary
