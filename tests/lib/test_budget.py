"""Budget reservations: caps per channel and globally, settled or refunded exactly once."""

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelforge.lib.budget import AlreadyClosed, Budget, BudgetExceeded, Limits, budget_outcomes

DAY = dt.date(2026, 12, 1)
CAPS = {
    "channel_limits": Limits(daily_usd=1.0, monthly_usd=2.5),
    "global_limits": Limits(daily_usd=1.5),
}


def _reserve(budget: Budget, hold: str, usd: float, channel: str = "space", day: dt.date = DAY):
    return budget.reserve(hold_id=hold, channel=channel, day=day, episode_id="ep", stage="story",
                          provider="openai", estimate_usd=usd, **CAPS)  # fmt: skip


def test_reserve_settle_refund_and_caps(tmp_path: Path) -> None:
    budget = Budget(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    _reserve(budget, "a", 0.6)
    with pytest.raises(BudgetExceeded, match=r"space day 2026-12-01 budget: \$0.6000 committed"):
        _reserve(budget, "b", 0.5)  # 0.6 held + 0.5 > 1.0 channel cap
    budget.settle("a", 0.2)  # the actual replaces the estimate
    _reserve(budget, "b", 0.5)
    budget.refund("b")
    with pytest.raises(AlreadyClosed):
        budget.refund("b")
    with pytest.raises(AlreadyClosed):
        budget.settle("a", 0.1)
    assert budget.committed_usd("space", DAY) == pytest.approx(0.2)
    # The global cap counts every channel.
    _reserve(budget, "c", 0.9, channel="history")
    with pytest.raises(BudgetExceeded, match="global day"):
        _reserve(budget, "d", 0.5, channel="nature")
    assert budget.remaining_usd("space", DAY, **CAPS) == pytest.approx(1.5 - 1.1)


def test_monthly_cap_and_retried_reservation(tmp_path: Path) -> None:
    budget = Budget(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    for i in range(5):
        _reserve(budget, f"m{i}", 0.5, day=DAY + dt.timedelta(days=i))
        budget.settle(f"m{i}", 0.5)
    with pytest.raises(BudgetExceeded, match="space month 2026-12"):
        _reserve(budget, "m5", 0.5, day=DAY + dt.timedelta(days=5))
    # The same hold id again (a retried step) is the same hold, not a second one.
    again = _reserve(budget, "m4", 0.5, day=DAY + dt.timedelta(days=4))
    assert again.estimate_usd == 0.5 and budget.totals()["holds"] == 5


def test_schema_refuses_a_second_outcome_and_bad_values(tmp_path: Path) -> None:
    budget = Budget(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    _reserve(budget, "x", 0.1)
    budget.refund("x")
    now = dt.datetime.now(dt.UTC)
    with budget.engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(budget_outcomes.insert().values(hold_id="x", kind="settle",
                                                     actual_micros=5, at=now))  # fmt: skip
    with budget.engine.connect() as conn, pytest.raises(sa.exc.IntegrityError):
        conn.execute(budget_outcomes.insert().values(hold_id="nope", kind="refund",
                                                     actual_micros=0, at=now))  # fmt: skip
    with pytest.raises(ValueError, match="does not exist"):
        budget.settle("missing", 1.0)
