"""Book every successful provider call once, and never pay twice for the same request.

The request hash names what was asked (stage, provider, model, request body). The first
success stores the answer in the media store and its cost row in the ledger; a retry or a
re-materialization with the same hash gets the stored answer back without calling (or
paying) the provider again. Failed attempts cost nothing and are not booked.

With a budget guard, a paid call first reserves its estimated cost against the channel's and
the global caps (BudgetExceeded, with the numbers, if it does not fit); after the call the hold
is settled to the actual cost, or refunded if the call failed — exactly once either way.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelforge.lib.budget import Budget, Hold, Limits
from reelforge.lib.ledger import Ledger, ProviderCall, request_hash
from reelforge.lib.media import MediaStore


@dataclass(frozen=True)
class Priced:
    """What one successful call returned and what it cost."""

    payload: bytes
    unit: str
    units: float
    cost_usd: float
    suffix: str = ".bin"


@dataclass(frozen=True)
class BudgetGuard:
    """The caps a channel's paid calls are reserved against, on one calendar day."""

    budget: Budget
    channel: str
    day: dt.date
    channel_limits: Limits
    global_limits: Limits

    def reserve(self, key: str, episode: str, stage: str, provider: str, usd: float) -> Hold:
        # One hold per attempt: a failed attempt's hold is refunded, a retry holds afresh.
        return self.budget.reserve(
            hold_id=f"{key[:40]}:{uuid.uuid4().hex[:16]}", channel=self.channel, day=self.day,
            episode_id=episode, stage=stage, provider=provider, estimate_usd=usd,
            channel_limits=self.channel_limits, global_limits=self.global_limits,
        )  # fmt: skip


@dataclass
class Booker:
    ledger: Ledger
    store: MediaStore
    episode_id: str
    stage: str
    guard: BudgetGuard | None = None

    def call(
        self,
        provider: str,
        model: str,
        request: Any,
        fn: Callable[[], Priced],
        estimate_usd: float = 0.0,
    ) -> tuple[bytes, bool]:
        """The provider's answer for `request`: (payload, True if taken from an earlier call).

        `estimate_usd` > 0 marks a paid call: it is reserved against the budget first."""
        earlier = self.stored(provider, model, request)
        if earlier is not None:
            return earlier, True
        key = request_hash(self.stage, provider, model, request)
        hold = None
        if self.guard is not None and estimate_usd > 0:
            hold = self.guard.reserve(key, self.episode_id, self.stage, provider, estimate_usd)
        started = time.monotonic()
        try:
            priced = fn()
        except BaseException:
            if hold is not None:
                self.guard.budget.refund(hold.hold_id)  # type: ignore[union-attr]
            raise
        response_key = self.store.put_bytes(priced.payload, priced.suffix)
        units = priced.units or 0.0
        call = ProviderCall(
            request_hash=key,
            episode_id=self.episode_id,
            stage=self.stage,
            provider=provider,
            model=model,
            unit=priced.unit,
            units=units,
            unit_price_usd=(priced.cost_usd / units) if units else 0.0,
            duration_s=round(time.monotonic() - started, 3),
            response_key=response_key,
            cost_override_usd=priced.cost_usd,
        )
        self.ledger.record_call(call)
        if hold is not None:
            # Settle what the ledger booked (rounded to the micro-dollar once, there): settling
            # the raw price let the two books round a half micro-dollar differently.
            self.guard.budget.settle(hold.hold_id, call.cost_usd)  # type: ignore[union-attr]
        return priced.payload, False

    def stored(self, provider: str, model: str, request: Any) -> bytes | None:
        """The answer booked earlier for exactly this request, if it is still in the store."""
        earlier = self.ledger.get_call(request_hash(self.stage, provider, model, request))
        if earlier and earlier.get("response_key") and self.store.exists(earlier["response_key"]):
            return self.store.path(earlier["response_key"]).read_bytes()
        return None

    def total_cost(self) -> float:
        return sum(
            c["cost_usd"]
            for c in self.ledger.calls_for(self.episode_id)
            if c["stage"] == self.stage
        )
