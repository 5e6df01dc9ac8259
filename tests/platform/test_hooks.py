import pytest

from relais.hooks import SingleHook


def _status(**kwargs):
    return {"asked": kwargs}


def test_a_single_hook_without_provider_answers_the_default():
    hook = SingleHook("status")
    assert hook.call(default={}, ids=[1]) == {}


def test_a_single_hook_calls_its_provider_with_the_arguments():
    hook = SingleHook("status")
    hook.connect(_status)
    assert hook.call(default={}, ids=[1]) == {"asked": {"ids": [1]}}


def test_a_single_hook_refuses_a_second_provider():
    hook = SingleHook("status")
    hook.connect(_status)
    with pytest.raises(RuntimeError):
        hook.connect(lambda **kwargs: {})
    assert hook.provider is _status


def test_a_single_hook_accepts_the_same_provider_twice_and_can_be_emptied():
    hook = SingleHook("status")
    hook.connect(_status)
    hook.connect(_status)
    hook.disconnect(_status)
    assert hook.provider is None
    assert hook.call(default=None, ids=[]) is None
