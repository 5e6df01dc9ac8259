"""Races that only a real database shows: 20 threads at once (PostgreSQL).
Each thread has its own database connection (Django's are per thread) and
they pass a barrier together, so the 20 calls really overlap."""

import threading
from unittest import mock

import pytest
from django.db import connection

from certificates.models import Certificate, CertificateEvent
from enrolment import hooks, services
from enrolment.models import Enrolment
from tests.conftest import require_services
from tests.factories import UserFactory, course_lessons, make_cohort, make_course


def _race(n, work):
    barrier = threading.Barrier(n)
    results = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not [t for t in threads if t.is_alive()], "a thread is still running"
    return results


# serialized_rollback: the flush after a transactional test would otherwise
# also remove the page tree Wagtail's migrations create.
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_twenty_parallel_joins_fill_ten_seats_exactly():
    require_services(postgres=True)
    course = make_course(title="Race", modules=1, lessons_per_module=1)
    cohort = make_cohort(course=course, capacity=10)
    users = [UserFactory() for _ in range(20)]

    results = _race(
        20,
        lambda i: services.enrolment_create(
            user=users[i], course=course, cohort=cohort, source=Enrolment.Source.SELF
        ),
    )

    enrolled = [r for r in results if isinstance(r, Enrolment)]
    full = [r for r in results if isinstance(r, services.CohortFull)]
    assert len(enrolled) == 10
    assert len(full) == 10
    assert Enrolment.objects.filter(cohort=cohort).count() == 10


def test_twenty_concurrent_completions_complete_once_and_request_one_certificate():
    """Twenty concurrent completions: the last lesson of one enrolment marked
    done from 20 threads at once."""
    require_services(postgres=True)
    course = make_course(title="Race", modules=1, lessons_per_module=2)
    lessons = course_lessons(course)
    user = UserFactory()
    enrolment = services.enrolment_create(
        user=user, course=course, source=Enrolment.Source.SELF
    )
    services.lesson_complete(enrolment=enrolment, lesson=lessons[0])
    receiver = mock.Mock()
    hooks.on_course_completed.connect(receiver)
    try:
        results = _race(
            20,
            lambda i: services.lesson_complete(
                enrolment=Enrolment.objects.get(pk=enrolment.pk), lesson=lessons[1]
            ),
        )
    finally:
        hooks.on_course_completed.disconnect(receiver)

    assert not [r for r in results if isinstance(r, Exception)]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.events.filter(status=Enrolment.Status.COMPLETED).count() == 1
    assert receiver.call_count == 1
    certificates = Certificate.objects.filter(enrolment=enrolment)
    assert certificates.count() == 1
    assert (
        CertificateEvent.objects.filter(
            certificate__enrolment=enrolment, action="requested"
        ).count()
        == 1
    )
