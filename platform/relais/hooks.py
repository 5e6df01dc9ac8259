"""Tiny explicit hooks: one app announces, others subscribe. Used where a
dependency must not point back (courses -> enrolment -> certificates).

Three kinds:

- `Hook`: an event or a question any number of apps may answer; `send()`
  calls every receiver and returns their answers.
- `TransactionHook`: an event announced inside the transaction that makes
  it happen (a course completed). Its receivers write what the event owes
  in that transaction; what must wait for the commit (queuing a task) waits.
- `SingleHook`: a question exactly one app answers (who may read a lesson,
  what progress a lesson page shows). A second provider is a wiring mistake,
  so connecting one raises instead of letting whichever connected last win.

Receivers connect in their app's `AppConfig.ready()`, never as a side
effect of importing a module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction


class HookError(RuntimeError):
    pass


class Hook:
    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable[..., Any]) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> list[Callable[..., Any]]:
        return list(self._receivers)

    def send(self, **kwargs: Any) -> list[Any]:
        return [receiver(**kwargs) for receiver in self._receivers]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"


class TransactionHook(Hook):
    """An event sent inside the transaction that makes it happen, in two
    phases:

    - receivers connected with `connect()` run at once, inside that
      transaction. They write the rows the event owes (a pending
      certificate, a trainer qualification): those commit with the event or
      roll back with it, so no crash between the commit and a later step can
      lose them (an outbox). A receiver that queues a task does it with
      `transaction.on_commit`, so the task never sees uncommitted rows.
    - receivers connected with `connect_after_commit()` run after the commit
      (`transaction.on_commit`, robust: one raising does not stop the
      others), and not at all if it rolls back. Nothing there may be owed:
      a process that dies after the commit never runs them.

    `send()` outside `transaction.atomic` raises HookError: the rows would
    then commit one by one, apart from the event."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self._after_commit: list[Callable[..., Any]] = []

    def connect_after_commit(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        if receiver not in self._after_commit:
            self._after_commit.append(receiver)
        return receiver

    def disconnect(self, receiver: Callable[..., Any]) -> None:
        super().disconnect(receiver)
        if receiver in self._after_commit:
            self._after_commit.remove(receiver)

    @property
    def after_commit_receivers(self) -> list[Callable[..., Any]]:
        return list(self._after_commit)

    def send(self, **kwargs: Any) -> list[Any]:
        """Run the in-transaction receivers and return their answers; the
        after-commit ones are registered to run on commit."""
        if transaction.get_autocommit():
            raise HookError(
                f"{self.name} must be sent inside transaction.atomic, with the "
                "change it announces"
            )
        answers = super().send(**kwargs)
        for receiver in self._after_commit:
            # A function, not a functools.partial: Django logs a robust
            # callback's failure with its __qualname__.
            def after_commit(receiver: Callable[..., Any] = receiver) -> None:
                receiver(**kwargs)

            transaction.on_commit(after_commit, robust=True)
        return answers

    def __repr__(self) -> str:
        return (
            f"<TransactionHook {self.name}: {len(self._receivers)} in the "
            f"transaction, {len(self._after_commit)} after the commit>"
        )


class SingleHook:
    """A hook with at most one provider."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: Callable[..., Any] | None = None

    def connect(self, provider: Callable[..., Any]) -> Callable[..., Any]:
        """Connect the provider; connecting the same one again changes nothing.
        Raises HookError if another provider is connected."""
        if self._provider is not None and self._provider != provider:
            raise HookError(
                f"{self.name} already has a provider ({self._provider!r}); "
                f"disconnect it before connecting {provider!r}"
            )
        self._provider = provider
        return provider

    def disconnect(self, provider: Callable[..., Any]) -> None:
        if self._provider == provider:
            self._provider = None

    @property
    def provider(self) -> Callable[..., Any] | None:
        return self._provider

    def call(self, default: Any = None, **kwargs: Any) -> Any:
        """The provider's answer, or `default` when no provider is connected."""
        if self._provider is None:
            return default
        return self._provider(**kwargs)

    @contextmanager
    def replaced(self, provider: Callable[..., Any] | None) -> Iterator[None]:
        """Tests: `provider` (or none) answers inside the block; the connected
        provider is back after it."""
        previous, self._provider = self._provider, provider
        try:
            yield
        finally:
            self._provider = previous

    def __repr__(self) -> str:
        state = "connected" if self._provider is not None else "no provider"
        return f"<SingleHook {self.name}: {state}>"
