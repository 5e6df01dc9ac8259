"""The daily invitation limit under a real race (PostgreSQL): ten posts
from one trainer at once cannot together send more than the limit."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from cascades.services import cohort_invite, qualifications_from_completion
from enrolment.models import Invitation
from tests.conftest import require_services
from tests.factories import UserFactory, make_cohort, make_course, make_enrolment

pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ten_parallel_invite_posts_send_no_more_than_the_daily_limit(settings):
    require_services(postgres=True)
    settings.RELAIS_TRAINER_INVITATIONS_PER_DAY = 5
    tot = make_course(title="ToT race", kind="train_the_trainer", modules=1)
    workshop = make_course(title="Workshop race", modules=1)
    tot.qualifies_for.set([workshop])
    tot.save()
    trainer = UserFactory()
    qualifications_from_completion(
        enrolment=make_enrolment(
            user=trainer,
            course=tot,
            status="completed",
            completed_at=timezone.now(),
        )
    )
    cohort = make_cohort(course=workshop, name="Race", trainer=trainer)
    barrier = threading.Barrier(10)
    results: list = [None] * 10

    def run(i):
        try:
            barrier.wait()
            results[i] = cohort_invite(
                cohort=cohort,
                text=f"a{i}@example.org, b{i}@example.org",
                invited_by=trainer,
            )
        except Exception as exc:  # noqa: BLE001 - collected for the assertions
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not [t for t in threads if t.is_alive()], "a thread is still running"
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Invitation.objects.filter(invited_by=trainer).count() == 5
    assert sum(len(r.invited) for r in results) == 5
    assert sum(len(r.over_limit) for r in results) == 15
