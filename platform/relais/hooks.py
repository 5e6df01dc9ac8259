"""Tiny explicit hooks: one app announces, others subscribe. Used where a
dependency must not point back (courses -> enrolment -> certificates).

Two kinds:

- `Hook`: an event or a question any number of apps may answer; `send()`
  calls every receiver and returns their answers.
- `SingleHook`: a question exactly one app answers (who may read a lesson,
  what progress a lesson page shows). A second provider is a wiring mistake,
  so connecting one raises instead of letting whichever connected last win.

Receivers connect in their app's `AppConfig.ready()`, never as a side
effect of importing a module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


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
