"""relais.hooks: Hook calls every receiver; TransactionHook in two phases
around a commit; SingleHook has one provider."""

import pytest
from django.db import transaction

from relais.hooks import Hook, HookError, SingleHook, TransactionHook


def test_a_hook_sends_to_every_receiver_once_in_connection_order():
    hook = Hook("event")
    first, second = (lambda **kw: ("first", kw)), (lambda **kw: ("second", kw))
    hook.connect(first)
    hook.connect(second)
    hook.connect(first)
    assert hook.send(x=1) == [("first", {"x": 1}), ("second", {"x": 1})]
    hook.disconnect(first)
    assert hook.send(x=2) == [("second", {"x": 2})]


def test_a_single_hook_answers_with_its_provider_or_the_default():
    hook = SingleHook("question")
    assert hook.call(default="nobody", user=1) == "nobody"
    hook.connect(lambda *, user: f"user {user}")
    assert hook.call(default="nobody", user=1) == "user 1"


def test_a_single_hook_refuses_a_second_provider():
    hook = SingleHook("question")

    def mine(**kwargs):
        return "mine"

    def theirs(**kwargs):
        return "theirs"

    hook.connect(mine)
    hook.connect(mine)  # the same provider again (ready() run twice): no change
    with pytest.raises(HookError, match="question already has a provider"):
        hook.connect(theirs)
    assert hook.call() == "mine"
    hook.disconnect(mine)
    hook.connect(theirs)
    assert hook.call() == "theirs"


def test_replacing_a_single_hooks_provider_lasts_for_the_block():
    hook = SingleHook("question")
    hook.connect(lambda: "connected")
    with hook.replaced(lambda: "stand-in"):
        assert hook.call() == "stand-in"
    assert hook.call() == "connected"
    with hook.replaced(None):
        assert hook.call(default="none") == "none"
    assert hook.call() == "connected"


def test_the_apps_connect_one_provider_to_each_single_hook():
    from cascades import hooks as cascade_hooks
    from certificates.services import certificate_request_for_attendee
    from courses import access
    from enrolment import access as enrolment_access

    assert access.lesson_access_policy.provider == enrolment_access.enrolled_policy
    assert (
        access.lesson_progress_provider.provider == enrolment_access.progress_provider
    )
    assert access.course_enrolment_panel.provider == enrolment_access.enrolment_panel
    assert (
        cascade_hooks.attendance_certificate_request.provider
        == certificate_request_for_attendee
    )


@pytest.mark.django_db
def test_a_transaction_hook_runs_its_phases_in_and_after_the_transaction(
    django_capture_on_commit_callbacks,
):
    hook = TransactionHook("event")
    calls = []
    hook.connect(lambda **kw: calls.append(("in", kw)) or "row")

    def after(**kw):
        calls.append(("after", kw))

    def broken(**kw):
        raise RuntimeError("an after-commit receiver fails")

    hook.connect_after_commit(broken)
    hook.connect_after_commit(after)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        assert hook.send(x=1) == ["row"]
        assert calls == [("in", {"x": 1})]
    # robust: the failing receiver did not stop the next one
    assert calls == [("in", {"x": 1}), ("after", {"x": 1})]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_transaction_hook_refuses_to_be_sent_outside_a_transaction():
    hook = TransactionHook("event")
    hook.connect(lambda **kw: "row")
    with pytest.raises(HookError, match="must be sent inside transaction.atomic"):
        hook.send(x=1)
