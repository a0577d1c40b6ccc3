"""Bounded in-call retries of transient platform errors, with full-jitter backoff.

A platform call that fails transiently (5xx, timeout, dropped line) is retried a few times
inside one `publish`; past that the `TransientPlatformError` reaches the asset, whose
Dagster RetryPolicy tries again later with the saved session. Quota and permanent errors
are never retried here.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from reelforge.lib.platforms.base import TransientPlatformError

T = TypeVar("T")


@dataclass
class Backoff:
    attempts: int = 4
    base_s: float = 0.5
    cap_s: float = 20.0
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)

    def pause(self, failure: int, retry_after: float | None = None) -> None:
        """Wait before retry number `failure` (1-based)."""
        if retry_after is not None:
            self.sleep(min(retry_after, self.cap_s))
            return
        self.sleep(self.rng.uniform(0, min(self.cap_s, self.base_s * 2 ** (failure - 1))))

    def run(self, call: Callable[[], T]) -> T:
        """`call()`, retried on TransientPlatformError up to `attempts` times in all."""
        failure = 0
        while True:
            try:
                return call()
            except TransientPlatformError as exc:
                failure += 1
                if failure >= self.attempts:
                    raise
                self.pause(failure, getattr(exc, "retry_after", None))
