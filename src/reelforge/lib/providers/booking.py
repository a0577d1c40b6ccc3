"""Book every successful provider call once, and never pay twice for the same request.

The request hash names what was asked (stage, provider, model, request body). The first
success stores the answer in the media store and its cost row in the ledger; a retry or a
re-materialization with the same hash gets the stored answer back without calling (or
paying) the provider again. Failed attempts cost nothing and are not booked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

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


@dataclass
class Booker:
    ledger: Ledger
    store: MediaStore
    episode_id: str
    stage: str

    def call(
        self, provider: str, model: str, request: Any, fn: Callable[[], Priced]
    ) -> tuple[bytes, bool]:
        """The provider's answer for `request`: (payload, True if taken from an earlier call)."""
        earlier = self.stored(provider, model, request)
        if earlier is not None:
            return earlier, True
        key = request_hash(self.stage, provider, model, request)
        started = time.monotonic()
        priced = fn()
        response_key = self.store.put_bytes(priced.payload, priced.suffix)
        units = priced.units or 0.0
        self.ledger.record_call(
            ProviderCall(
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
        )
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
