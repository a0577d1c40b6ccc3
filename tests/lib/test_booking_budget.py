"""Paid calls through the Booker: reserved first, settled or refunded once, capped hard."""

import datetime as dt
from pathlib import Path

import dagster as dg
import pytest

from reelforge.defs.assets.common import HardCapGuard
from reelforge.lib.budget import Budget, BudgetExceeded, Limits
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.providers.booking import Booker, BudgetGuard, Priced

DAY = dt.date(2026, 12, 1)


def _booker(tmp: Path, cap: float, guard_type: type[BudgetGuard] = BudgetGuard) -> Booker:
    url = f"sqlite:///{tmp / 'ledger.sqlite'}"
    guard = guard_type(Budget(url), "space", DAY, Limits(cap), Limits())
    return Booker(Ledger(url), MediaStore(tmp / "media"), "space-2026-12-01", "story", guard)


def test_paid_call_settles_failed_call_refunds(tmp_path: Path) -> None:
    booker = _booker(tmp_path, cap=1.0)
    budget = booker.guard.budget  # type: ignore[union-attr]

    def boom() -> Priced:
        raise RuntimeError("provider down")

    with pytest.raises(RuntimeError):
        booker.call("openai", "m", {"q": 1}, boom, estimate_usd=0.6)
    assert budget.totals() == {"held_usd": 0.6, "settled_usd": 0.0, "holds": 1, "settled": 0,
                               "refunded": 1}  # fmt: skip
    answer = lambda: Priced(b"ok", "tokens", 10, 0.25)  # noqa: E731
    payload, reused = booker.call("openai", "m", {"q": 1}, answer, estimate_usd=0.6)
    assert (payload, reused) == (b"ok", False)
    assert budget.committed_usd("space", DAY) == pytest.approx(0.25)
    # A re-run reuses the answer: no second hold, no second payment.
    again = booker.call("openai", "m", {"q": 1}, boom, estimate_usd=0.6)
    assert again == (b"ok", True) and budget.totals()["holds"] == 2


def test_over_the_cap_the_provider_is_never_called(tmp_path: Path) -> None:
    booker = _booker(tmp_path, cap=0.5)
    called = []

    def call() -> Priced:
        called.append(1)
        return Priced(b"x", "images", 1, 0.6)

    with pytest.raises(BudgetExceeded, match=r"\$0.6000 estimated would exceed the \$0.50 cap"):
        booker.call("openai", "m", {"q": 2}, call, estimate_usd=0.6)
    assert called == []
    # Local (free) calls are not held at all.
    assert booker.call("local", "m", {"q": 3}, lambda: Priced(b"y", "w", 1, 0.0))[1] is False


def test_assets_fail_for_good_with_the_numbers(tmp_path: Path) -> None:
    booker = _booker(tmp_path, cap=0.1, guard_type=HardCapGuard)
    with pytest.raises(dg.Failure) as failure:
        booker.call("openai", "m", {"q": 4}, lambda: Priced(b"z", "t", 1, 0.2), estimate_usd=0.2)
    assert failure.value.allow_retries is False
    assert "story via openai not called: space day 2026-12-01 budget" in str(failure.value)
    assert failure.value.metadata["cap_usd"].value == 0.1
