"""The policy against the real warehouse: history in, next plans out (tables and a record).

Reads (read-only) the `episodes`, `engagement` and `provider_calls` tables; writes only its
own tables, `policy_plans`, `policy_importance` and `policy_effects`, replaced in one
transaction; and a JSON record that `generation_plan` reads (atomic file replace).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from reelforge.lib import atomic
from reelforge.lib.overrides import PARAMETERS
from reelforge.lib.policy.cost import Chains, render_rate
from reelforge.lib.policy.model import Observation, PolicyModel, fit
from reelforge.lib.policy.planner import (
    JOINT,
    CostFn,
    PlannedSlot,
    Slot,
    cost_function,
    plan_slots,
)
from reelforge.lib.policy.space import ArmSpace, channel_space, slot_number
from reelforge.lib.pricing import PriceTable

RECORD_VERSION = 1
MATURE_AGE_HOURS = 168  # the policy learns from 7-day views only

# table -> column types (the dashboard reads these; keep them additive)
TABLES: dict[str, dict[str, str]] = {
    "policy_plans": {
        "channel": "VARCHAR", "date": "DATE", "slot": "INTEGER",
        **{p: ("INTEGER" if p in JOINT or p == "posting_hour" else "VARCHAR") for p in PARAMETERS},
        "experiment_id": "VARCHAR", "arm_id": "VARCHAR", "predicted_value": "DOUBLE",
        "predicted_sd": "DOUBLE", "explore": "BOOLEAN", "overrides_applied": "VARCHAR",
        "cost_usd": "DOUBLE", "within_budget": "BOOLEAN", "created_at": "TIMESTAMPTZ",
    },
    "policy_importance": {"parameter": "VARCHAR", "importance": "DOUBLE",
                          "created_at": "TIMESTAMPTZ"},
    "policy_effects": {"parameter": "VARCHAR", "value": "VARCHAR", "effect": "DOUBLE",
                       "episodes": "INTEGER", "created_at": "TIMESTAMPTZ"},
}  # fmt: skip


@dataclass(frozen=True)
class History:
    observations: list[Observation]
    episodes: int  # episodes in the warehouse
    immature: int  # without a 7-day snapshot yet
    unknown_channel: int  # of channels no longer in the config
    recorded_cost_usd: float


def read_history(
    warehouse: Path, spaces: Mapping[str, ArmSpace], costs: Mapping[str, CostFn], rate: float
) -> History:
    """Matured episodes with their 7-day views and cost (recorded, else the priced estimate).

    Recorded provider cost is what the books say; offline it is $0, so an episode that cost
    nothing recorded is priced like a plan (lib.policy.cost). Render compute is added to both.
    """
    if not warehouse.is_file():
        return History([], 0, 0, 0, 0.0)
    cols = ", ".join(f"e.{p}" for p in PARAMETERS)
    sql = f"""
        WITH views AS (
            SELECT episode_id, max(views) AS views FROM engagement
            WHERE age_hours >= ? GROUP BY episode_id
        ), cost AS (
            SELECT episode_id, sum(cost_usd) AS usd FROM provider_calls GROUP BY episode_id
        )
        SELECT e.episode_id, e.channel, {cols}, v.views, coalesce(c.usd, 0)
        FROM episodes e LEFT JOIN views v USING (episode_id) LEFT JOIN cost c USING (episode_id)
        ORDER BY e.date, e.episode_id
    """  # nosec B608 # only constant table and column names are interpolated; values are bound
    with duckdb.connect(str(warehouse), read_only=True) as con:
        found = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
        tables = {r[0] for r in found}
        if not {"episodes", "engagement", "provider_calls"} <= tables:
            return History([], 0, 0, 0, 0.0)
        rows = con.execute(sql, [MATURE_AGE_HOURS]).fetchall()
    observations, immature, unknown, recorded = [], 0, 0, 0.0
    for row in rows:
        channel, values, views, usd = row[1], row[2 : 2 + len(PARAMETERS)], row[-2], row[-1]
        params = dict(zip(PARAMETERS, values, strict=True))
        if channel not in spaces:
            unknown += 1
            continue
        if views is None or any(v is None for v in values):
            immature += 1
            continue
        recorded += float(usd)
        seconds = float(params["target_seconds"])
        cost = (
            float(usd) + rate * seconds
            if usd and usd > 0
            else costs[channel](int(params[JOINT[0]]), int(params[JOINT[1]]))
        )
        observations.append(Observation(channel, params, float(views), cost))
    return History(observations, len(rows), immature, unknown, recorded)


@dataclass(frozen=True)
class Proposal:
    model: PolicyModel | None
    plans: list[PlannedSlot]
    experiment_id: str
    created_at: dt.datetime
    history: History

    @property
    def importance(self) -> dict[str, float]:
        return self.model.importance if self.model else {p: 0.0 for p in PARAMETERS}

    def record(self) -> dict[str, Any]:
        return {
            "version": RECORD_VERSION,
            "created_at": self.created_at.isoformat(),
            "experiment_id": self.experiment_id,
            "observations": len(self.history.observations),
            "importance": self.importance,
            "effects": self.model.effects() if self.model else {},
            "plans": [p.record() for p in self.plans],
        }


def spaces_and_costs(
    channels: Sequence[Any], prices: PriceTable
) -> tuple[dict[str, ArmSpace], dict[str, CostFn]]:
    spaces = {c.slug: channel_space(c) for c in channels}
    costs = {c.slug: cost_function(Chains.of(c), prices) for c in channels}
    return spaces, costs


def propose(
    channels: Sequence[Any],
    prices: PriceTable,
    warehouse: Path,
    overrides: Mapping[str, Sequence[Any]],
    *,
    start: dt.date,
    days: int,
    explore_share: float,
    posterior_scale: float | None = None,
    seed: int | None = None,
    now: dt.datetime | None = None,
) -> Proposal:
    """Fit on the warehouse's history and plan `days` days of every channel from `start`."""
    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    now = now or dt.datetime.now(dt.UTC)
    spaces, costs = spaces_and_costs(channels, prices)
    history = read_history(warehouse, spaces, costs, render_rate(prices))
    model = fit(history.observations, spaces) if history.observations else None
    slots = [
        Slot(c.slug, (start + dt.timedelta(days=d)).isoformat(), k,
             slot_number(start + dt.timedelta(days=d), k, c.episodes_per_day))
        for c in channels
        for d in range(days)
        for k in range(c.episodes_per_day)
    ]  # fmt: skip
    fingerprint = hashlib.sha256(
        json.dumps([start.isoformat(), len(history.observations), sorted(spaces)]).encode()
    ).hexdigest()[:8]
    experiment_id = f"policy-{start.isoformat()}-{fingerprint}"
    if seed is None:
        seed = int(fingerprint, 16) & 0x7FFFFFFF
    plans = plan_slots(
        model, spaces, costs, slots, overrides, explore_share=explore_share,
        rng=np.random.default_rng(seed), experiment_id=experiment_id,
        posterior_scale=posterior_scale,
    )  # fmt: skip
    return Proposal(model, plans, experiment_id, now, history)


def write_tables(warehouse: Path, proposal: Proposal) -> dict[str, int]:
    """Replace the policy's own tables in one transaction (never touches any other table)."""
    at = proposal.created_at
    rows: dict[str, list[list[Any]]] = {
        "policy_plans": [
            [p.channel, p.date, p.slot, *(p.params[q] for q in PARAMETERS), p.experiment_id,
             p.arm_id, p.predicted_value, p.predicted_sd, p.explore,
             json.dumps(list(p.overrides_applied)), p.cost_usd, p.within_budget, at]
            for p in proposal.plans
        ],
        "policy_importance": [[k, v, at] for k, v in proposal.importance.items()],
        "policy_effects": [
            [q, v, e, proposal.model.counts.get((q, v), 0), at]
            for q, values in (proposal.model.effects() if proposal.model else {}).items()
            for v, e in values.items()
        ],
    }  # fmt: skip
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("BEGIN TRANSACTION")
        try:
            for table, columns in TABLES.items():
                cols = ", ".join(f"{n} {t}" for n, t in columns.items())
                con.execute(f"CREATE TABLE IF NOT EXISTS {table} ({cols})")
                con.execute(f"DELETE FROM {table}")  # nosec B608 # only constant table and column names are interpolated; values are bound
                if rows[table]:
                    marks = ", ".join("?" for _ in columns)
                    con.executemany(
                        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # nosec B608 # only constant table and column names are interpolated; values are bound
                        rows[table],
                    )
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    return {t: len(r) for t, r in rows.items()}


def write_record(path: Path, proposal: Proposal) -> None:
    atomic.write_text(path, json.dumps(proposal.record(), indent=1, default=str))


def load_record(path: Path) -> dict[str, Any] | None:
    """The latest policy record, or None if the policy never ran (or wrote another version)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ValueError(f"unreadable policy record {path}: {exc}") from None
    return data if data.get("version") == RECORD_VERSION else None


def planned_for(record: Mapping[str, Any], channel: str, date: str, slot: int) -> dict | None:
    for plan in record.get("plans", []):
        if plan["channel"] == channel and plan["date"] == date and plan["slot"] == slot:
            return plan
    return None
