"""Fallback chains: try each configured provider in order until one succeeds."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from reelforge.lib.providers.errors import ProviderError

T = TypeVar("T")


@dataclass(frozen=True)
class Attempt:
    provider: str
    ok: bool
    error: str = ""  # why it failed; on a success, an optional note (e.g. "booked earlier")


@dataclass(frozen=True)
class Served(Generic[T]):
    value: T
    provider: str
    attempts: list[Attempt]

    @property
    def summary(self) -> str:
        """e.g. 'anthropic ✗ (HTTP 500: upstream failure) → openai ✓'."""
        return " → ".join(
            (f"{a.provider} ✓ ({a.error})" if a.error else f"{a.provider} ✓")
            if a.ok
            else f"{a.provider} ✗ ({a.error[:80]})"
            for a in self.attempts
        )


class ChainExhaustedError(RuntimeError):
    def __init__(self, stage: str, attempts: list[Attempt]) -> None:
        self.attempts = attempts
        tried = "; ".join(f"{a.provider}: {a.error}" for a in attempts) or "no provider configured"
        super().__init__(f"every provider for {stage} failed: {tried}")


def run_chain(stage: str, steps: Sequence[tuple[str, Callable[[], T]]]) -> Served[T]:
    """Call each step in order; a ProviderError moves on to the next provider."""
    attempts: list[Attempt] = []
    for name, call in steps:
        try:
            value = call()
        except ProviderError as exc:
            attempts.append(Attempt(name, False, str(exc)))
            continue
        attempts.append(Attempt(name, True))
        return Served(value, name, attempts)
    raise ChainExhaustedError(stage, attempts)
