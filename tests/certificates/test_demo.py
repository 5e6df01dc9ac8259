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
