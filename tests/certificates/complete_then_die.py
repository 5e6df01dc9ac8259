"""Run as a process by tests/certificates/test_crash_recovery.py, in a
worker's environment (test settings, the test database):

    python -m tests.certificates.complete_then_die <enrolment id> <lesson id>

It marks the lesson done, which completes the course, and SIGKILLs itself
right after the commit: the first callback the commit runs is its own kill,
so no other on_commit callback runs (where the certificate used to be
inserted, and where the render task is queued). A real kill, at the point
where a deploy, the OOM killer or a crash would land."""

from __future__ import annotations

import os
import signal
import sys


def main(enrolment_id: int, lesson_id: int) -> None:
    import django

    django.setup()
    from django.db import transaction

    from courses.models import LessonPage
    from enrolment.models import Enrolment
    from enrolment.services import lesson_complete

    enrolment = Enrolment.objects.get(pk=enrolment_id)
    lesson = LessonPage.objects.get(pk=lesson_id)
    with transaction.atomic():
        # Registered first, so it runs first once the transaction commits.
        transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
        lesson_complete(enrolment=enrolment, lesson=lesson)
    raise SystemExit("still alive after the commit: the kill did not happen")


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]))
