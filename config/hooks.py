"""Hooks: how a lower app lets the apps above it act on its events without importing them.

The apps depend one way (docs/decisions/app-layers.md): accounts ← content ← feeds ←
boosts ← moderation. When content publishes a post, the engine must enter it into the
pools; when feeds serves a discover page, boosts may place paid slots on it. The lower
app declares a ``Hook`` in its ``events`` module and calls it from its services; the app
above registers a receiver in its ``AppConfig.ready``. The call is explicit at the place
it happens (no ``post_save`` receivers), and the lower app never names the higher one.

A hook is called synchronously in the caller's transaction; receivers that touch Redis
or queue tasks defer that themselves with ``transaction.on_commit``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """One event (or extension point) an app announces, with the receivers registered on it."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., Any]] = []

    def connect(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Register ``receiver`` (once; registering it again changes nothing)."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    @property
    def receivers(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._receivers)

    def send(self, **kwargs: Any) -> None:
        """Call every receiver with these keyword arguments, in registration order."""
        for receiver in self._receivers:
            receiver(**kwargs)

    def first(self, **kwargs: Any) -> Any:
        """Return the first receiver's answer that is not ``None`` (``None`` if none answers)."""
        for receiver in self._receivers:
            answer = receiver(**kwargs)
            if answer is not None:
                return answer
        return None

    def pipe(self, value: Any, **kwargs: Any) -> Any:
        """Pass ``value`` through every receiver in turn (each returns the new value)."""
        for receiver in self._receivers:
            value = receiver(value, **kwargs)
        return value

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receiver(s)>"
