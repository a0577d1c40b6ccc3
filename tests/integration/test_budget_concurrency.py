"""Issue #7: 8 processes reserving against one budget, on SQLite and on a real PostgreSQL.

Per round: total settled ≤ every cap, every failed call refunded exactly once (a second refund
is refused by the schema), and the ledger's totals equal the workers' own accounts. 20 rounds.
"""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelforge.lib.budget import Budget, budget_holds, budget_outcomes, to_micros
from reelforge.lib.budget_drill import CHANNELS, DrillSpec, run_drill
from reelforge.ops.postgres import PostgresServer

pytestmark = pytest.mark.slow


def _check(spec: DrillSpec) -> None:
    reports = run_drill(spec)
    assert [r.errors for r in reports] == [[]] * spec.workers
    budget = Budget(spec.url)
    with budget.engine.connect() as conn:
        rows = conn.execute(
            sa.select(budget_holds.c.hold_id, budget_holds.c.channel, budget_holds.c.day,
                      budget_outcomes.c.kind, budget_outcomes.c.actual_micros)
            .select_from(budget_holds.outerjoin(budget_outcomes))
        ).all()  # fmt: skip
    assert all(kind is not None for *_, kind, _ in rows), "a hold was left open"
    settled_db = {h: a for h, _, _, kind, a in rows if kind == "settle"}
    refunded_db = Counter(h for h, _, _, kind, _ in rows if kind == "refund")
    settled_workers = {h: a for r in reports for h, a in r.settled.items()}
    refunded_workers = [h for r in reports for h in r.refunded]
    assert settled_db == settled_workers
    assert refunded_db == Counter(refunded_workers)  # each failed call refunded once
    assert all(n == 1 for n in refunded_db.values())
    assert sum(r.second_refunds_refused for r in reports) == len(refunded_workers)
    for round_no in range(spec.rounds):
        day = spec.day(round_no)
        per_channel = {
            c: sum(a for h, ch, d, kind, a in rows if kind == "settle" and ch == c and d == day)
            for c in CHANNELS
        }
        assert all(v <= to_micros(spec.channel_daily_usd) for v in per_channel.values())
        assert sum(per_channel.values()) <= to_micros(spec.global_daily_usd)
    totals = budget.totals()
    assert totals["settled"] + totals["refunded"] == totals["holds"] == len(rows)
    assert to_micros(totals["settled_usd"]) == sum(settled_workers.values())
    assert sum(r.rejected for r in reports) > 0, "the caps were never reached: no contention"


def test_eight_processes_sqlite(tmp_path: Path) -> None:
    _check(DrillSpec(url=f"sqlite:///{tmp_path / 'ledger.sqlite'}", seed=1))


def test_eight_processes_postgres(postgres: PostgresServer) -> None:
    url = postgres.create_database(f"budget_{uuid.uuid4().hex[:8]}")
    _check(DrillSpec(url=url, seed=2))
