"""Demo: every completed enrolment of a demo account, in a course that issues
certificates, gets one (idempotent: those that have one are left alone).
Without Redis the render runs in-process right after load_demo's commit."""

from __future__ import annotations

from certificates.services import certificate_request_for_enrolment
from enrolment.models import Enrolment

# Demo people all have addresses under relais.local; other completed
# enrolments in the database (real or generated benchmark data) are left alone.
DEMO_EMAIL_SUFFIX = "relais.local"


def load(*, stdout, debug: bool) -> None:
    waiting = Enrolment.objects.filter(
        user__email__iendswith=DEMO_EMAIL_SUFFIX,
        status=Enrolment.Status.COMPLETED,
        certificate__isnull=True,
        course__certificate_enabled=True,
    ).select_related("user", "course__locale")
    count = 0
    for enrolment in waiting.iterator():
        certificate_request_for_enrolment(enrolment=enrolment)
        count += 1
    stdout.write(f"certificates: {count} requested (rendered after commit)")
