"""Demo: every completed enrolment of a demo account, in a course that issues
certificates, gets one (idempotent: those that have one are left alone).
Without Redis the render runs in-process right after load_demo's commit.

Demo certificates are not mailed: some 900 emails, each with its PDF in
base64, filled `make run`'s terminal (the console mail backend) and buried
the start-up summary. They are marked as mailed when requested, so neither
the render nor the sweep sends them; a certificate earned while trying the
demo is mailed as usual."""

from __future__ import annotations

from django.utils import timezone

from certificates.models import Certificate
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
    requested = [
        certificate_request_for_enrolment(enrolment=enrolment).pk
        for enrolment in waiting.iterator()
    ]
    Certificate.objects.filter(pk__in=requested, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    stdout.write(
        f"certificates: {len(requested)} requested (rendered after commit, not mailed)"
    )
