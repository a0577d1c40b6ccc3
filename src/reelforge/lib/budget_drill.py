"""A concurrency drill for the budget ledger: many processes reserving against one cap.

Each worker process runs every round in step with the others (a barrier per round): it
reserves random estimates against the round's channel and global caps, then fails a share of
its calls (refund, and tries a second refund, which the schema must refuse) and settles the
rest at or below the estimate. It reports what it did, so the caller can check the ledger
against the workers' own accounts. Used by the tests and the reliability suite.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
import random
from dataclasses import dataclass, field
from typing import Any

from reelforge.lib.budget import AlreadyClosed, Budget, BudgetExceeded, Limits, to_micros

CHANNELS = ("alpha", "beta")


@dataclass(frozen=True)
class DrillSpec:
    url: str
    rounds: int = 20
    workers: int = 8
    attempts: int = 12
    channel_daily_usd: float = 4.0
    global_daily_usd: float = 6.0
    fail_share: float = 0.3
    seed: int = 0
    first_day: dt.date = dt.date(2026, 1, 1)

    def day(self, round_no: int) -> dt.date:
        return self.first_day + dt.timedelta(days=round_no)


@dataclass
class WorkerReport:
    worker: int
    settled: dict[str, int] = field(default_factory=dict)  # hold id -> actual micros
    refunded: list[str] = field(default_factory=list)
    rejected: int = 0
    second_refunds_refused: int = 0
    errors: list[str] = field(default_factory=list)


def _work(spec: DrillSpec, worker: int, barrier: Any, queue: Any) -> None:
    report = WorkerReport(worker)
    try:
        budget = Budget(spec.url)
        rng = random.Random(spec.seed * 1000 + worker)  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
        channel_limits = Limits(daily_usd=spec.channel_daily_usd)
        global_limits = Limits(daily_usd=spec.global_daily_usd)
        for round_no in range(spec.rounds):
            barrier.wait(timeout=120)
            for attempt in range(spec.attempts):
                channel = rng.choice(CHANNELS)
                hold_id = f"r{round_no}-w{worker}-a{attempt}"
                estimate = round(rng.uniform(0.05, 0.9), 6)
                try:
                    budget.reserve(
                        hold_id=hold_id, channel=channel, day=spec.day(round_no),
                        episode_id=f"{channel}-{round_no}", stage="drill", provider="fake",
                        estimate_usd=estimate, channel_limits=channel_limits,
                        global_limits=global_limits,
                    )  # fmt: skip
                except BudgetExceeded:
                    report.rejected += 1
                    continue
                if rng.random() < spec.fail_share:
                    budget.refund(hold_id)
                    report.refunded.append(hold_id)
                    try:
                        budget.refund(hold_id)
                    except AlreadyClosed:
                        report.second_refunds_refused += 1
                else:
                    actual = round(estimate * rng.uniform(0.5, 1.0), 6)
                    budget.settle(hold_id, actual)
                    report.settled[hold_id] = to_micros(actual)
    except Exception as exc:  # reported, so the parent fails with the reason
        report.errors.append(f"{type(exc).__name__}: {exc}")
    queue.put(report)


def run_drill(spec: DrillSpec) -> list[WorkerReport]:
    """Run the drill in `spec.workers` fresh processes; return their reports."""
    Budget(spec.url)  # create the tables once, before the workers race
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(spec.workers)
    queue = ctx.Queue()
    procs = [
        ctx.Process(target=_work, args=(spec, w, barrier, queue), daemon=True)
        for w in range(spec.workers)
    ]
    for p in procs:
        p.start()
    reports = [queue.get(timeout=900) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    return sorted(reports, key=lambda r: r.worker)
