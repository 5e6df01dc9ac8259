"""relais.hooks: Hook calls every receiver; SingleHook has one provider."""

import pytest

from relais.hooks import Hook, HookError, SingleHook


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
