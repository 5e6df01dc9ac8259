"""A tiny explicit hook: one app announces, others subscribe. Used where a
dependency must not point back (courses -> enrolment -> certificates)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


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

    def first(self, default: Any = None, **kwargs: Any) -> Any:
        """Call the most recently connected receiver; default if none."""
        if not self._receivers:
            return default
        return self._receivers[-1](**kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"


class SingleHook:
    """A hook with at most one provider: an app asks a question that only one
    other app answers (cascades asks certificates for a status). Connecting
    a second provider raises, so two apps cannot silently overrule each
    other; connecting the same one again changes nothing."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._provider: Callable[..., Any] | None = None

    def connect(self, provider: Callable[..., Any]) -> Callable[..., Any]:
        if self._provider is not None and self._provider != provider:
            raise RuntimeError(
                f"{self.name} already has a provider ({self._provider!r}); "
                f"disconnect it before connecting {provider!r}."
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
        """The provider's answer; `default` when none is connected."""
        if self._provider is None:
            return default
        return self._provider(**kwargs)

    def __repr__(self) -> str:
        state = "connected" if self._provider else "no provider"
        return f"<SingleHook {self.name}: {state}>"
