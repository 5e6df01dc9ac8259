"""Confirming an attendee list under a real race (PostgreSQL): a trainer's
double click, or two tabs, sends each attendee one certificate and one
email."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from cascades.models import TrainingSession
from cascades.services import qualifications_from_completion
from cascades.services.attendees import attendees_confirm
from certificates.models import Certificate
from tests.conftest import require_services
from tests.factories import UserFactory, make_cohort, make_course, make_enrolment

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_confirmations_at_once_certify_each_attendee_once(mailoutbox):
    require_services(postgres=True)
    tot = make_course(title="ToT race", kind="train_the_trainer", modules=1)
    workshop = make_course(title="Workshop race", modules=1)
    tot.qualifies_for.set([workshop])
    tot.save()
    trainer = UserFactory()
    qualifications_from_completion(
        enrolment=make_enrolment(
            user=trainer, course=tot, status="completed", completed_at=timezone.now()
        )
    )
    cohort = make_cohort(course=workshop, name="Race", trainer=trainer)
    session = TrainingSession.objects.create(
        cohort=cohort,
        held_on=datetime.date(2025, 3, 3),
        place="Bishkek",
        duration_hours=2,
        participants_other=3,
    )
    for n in range(3):
        session.attendees.create(name=f"Person {n}", email=f"p{n}@example.org")
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i):
        try:
            barrier.wait()
            results[i] = attendees_confirm(session=session, confirmed_by=trainer)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not [t for t in threads if t.is_alive()], "a thread is still running"
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Certificate.objects.filter(attendee__session=session).count() == 3
    # The second confirmation waited for the first and found them certified.
    assert sorted(len(r.requested) for r in results) == [0, 3]
    assert sorted(m.to[0] for m in mailoutbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
