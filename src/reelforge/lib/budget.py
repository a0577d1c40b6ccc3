"""Budgets that never overspend: reserve before a paid call, settle or refund after, once.

Money is kept in integer micro-dollars so totals add up exactly. A *hold* is written before a
paid call with the estimated cost; its *outcome* is written after: `settle` with the actual cost
or `refund` (cost 0). The outcome table's primary key is the hold id, so a hold is settled or
refunded exactly once by the schema itself: a second refund is an IntegrityError, not a
question of care.

Committed spend of a scope and period = settled actuals + estimates of holds still open.
A reservation takes a row lock on every scope it touches (global first, then the channel, so
two reservations never deadlock), re-reads the committed spend under that lock and inserts the
hold only if it fits every limit. One code path for SQLite (``BEGIN IMMEDIATE``: one writer at
a time, others queue on the busy timeout) and PostgreSQL (``UPDATE`` takes the row lock; under
READ COMMITTED the sums read after it see every earlier commit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from reelforge.lib.schema import create_tables

MICROS = 1_000_000
GLOBAL = "global"

metadata = sa.MetaData()

budget_locks = sa.Table(
    "budget_locks",
    metadata,
    sa.Column("scope", sa.String(80), primary_key=True),
    sa.Column("version", sa.BigInteger, nullable=False, default=0),
)

budget_holds = sa.Table(
    "budget_holds",
    metadata,
    sa.Column("hold_id", sa.String(120), primary_key=True),
    sa.Column("channel", sa.String(40), nullable=False, index=True),
    sa.Column("day", sa.Date, nullable=False, index=True),
    sa.Column("month", sa.String(7), nullable=False, index=True),
    sa.Column("episode_id", sa.String(200), nullable=False),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("provider", sa.String(80), nullable=False),
    sa.Column("estimate_micros", sa.BigInteger, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("estimate_micros >= 0", name="hold_estimate_not_negative"),
)

budget_outcomes = sa.Table(
    "budget_outcomes",
    metadata,
    # One outcome per hold, by the primary key: settled or refunded exactly once.
    sa.Column("hold_id", sa.String(120), sa.ForeignKey("budget_holds.hold_id"), primary_key=True),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("actual_micros", sa.BigInteger, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind in ('settle', 'refund')", name="outcome_kind"),
    sa.CheckConstraint("actual_micros >= 0", name="outcome_actual_not_negative"),
    sa.CheckConstraint("kind = 'settle' or actual_micros = 0", name="refund_costs_nothing"),
)


def to_micros(usd: float) -> int:
    return round(usd * MICROS)


def to_usd(micros: int) -> float:
    return micros / MICROS


@dataclass(frozen=True)
class Limits:
    """Daily and monthly caps in dollars; None means no cap on that period."""

    daily_usd: float | None = None
    monthly_usd: float | None = None


@dataclass(frozen=True)
class Hold:
    hold_id: str
    channel: str
    day: dt.date
    estimate_usd: float


class BudgetExceeded(Exception):
    """A paid call that would cross a cap; the message carries the numbers."""

    def __init__(
        self, scope: str, period: str, spent_usd: float, estimate_usd: float, limit_usd: float
    ) -> None:
        self.scope, self.period = scope, period
        self.spent_usd, self.estimate_usd, self.limit_usd = spent_usd, estimate_usd, limit_usd
        super().__init__(
            f"{scope} {period} budget: ${spent_usd:.4f} committed + ${estimate_usd:.4f} "
            f"estimated would exceed the ${_cap(limit_usd)} cap"
        )


def _cap(usd: float) -> str:
    # Caps are usually whole cents ($0.50); a smaller one must not read as "$0.00".
    return f"{usd:.2f}" if round(usd, 2) == usd else f"{usd:.6f}".rstrip("0")


class AlreadyClosed(Exception):
    """The hold was settled or refunded before (the schema refused a second outcome)."""


Period = Literal["day", "month"]


def _immediate_sqlite(engine: sa.Engine) -> None:
    """pysqlite's own BEGIN is deferred: take the write lock at BEGIN so that the sums read
    under it can never be stale (a deferred reader upgrading to writer gets SQLITE_BUSY)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=60000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


class Budget:
    """Reservations against per-channel and global daily/monthly caps."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            _immediate_sqlite(self.engine)
        create_tables(metadata, self.engine)

    # --- reading -------------------------------------------------------------------------
    def _committed(
        self, conn: sa.Connection, channel: str | None, period: Period, value: Any
    ) -> int:
        h, o = budget_holds, budget_outcomes
        amount = sa.case(
            (o.c.kind == "settle", o.c.actual_micros),
            (o.c.kind == "refund", 0),
            else_=h.c.estimate_micros,
        )
        query = sa.select(sa.func.coalesce(sa.func.sum(amount), 0)).select_from(
            h.outerjoin(o, o.c.hold_id == h.c.hold_id)
        )
        query = query.where(h.c.day == value if period == "day" else h.c.month == value)
        if channel is not None:
            query = query.where(h.c.channel == channel)
        return int(conn.execute(query).scalar_one())

    def committed_usd(self, channel: str | None, day: dt.date, period: Period = "day") -> float:
        """Settled + still-reserved spend of a channel (None: all channels) on a day or month."""
        value = day if period == "day" else day.strftime("%Y-%m")
        with self.engine.connect() as conn:
            return to_usd(self._committed(conn, channel, period, value))

    def remaining_usd(
        self, channel: str, day: dt.date, channel_limits: Limits, global_limits: Limits
    ) -> float | None:
        """The smallest headroom left under any cap that applies (None: no cap at all)."""
        left = []
        for scope, limits in ((channel, channel_limits), (None, global_limits)):
            for period, cap in (("day", limits.daily_usd), ("month", limits.monthly_usd)):
                if cap is not None:
                    left.append(cap - self.committed_usd(scope, day, period))  # type: ignore[arg-type]
        return min(left) if left else None

    def outcome(self, hold_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = (
                conn.execute(sa.select(budget_outcomes).where(budget_outcomes.c.hold_id == hold_id))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    # --- writing -------------------------------------------------------------------------
    def _ensure_locks(self, scopes: list[str]) -> None:
        for scope in scopes:
            try:
                with self.engine.begin() as conn:
                    exists = conn.execute(
                        sa.select(budget_locks.c.scope).where(budget_locks.c.scope == scope)
                    ).first()
                    if not exists:
                        conn.execute(budget_locks.insert().values(scope=scope, version=0))
            except sa.exc.IntegrityError:
                pass  # another process created it first

    def reserve(
        self,
        *,
        hold_id: str,
        channel: str,
        day: dt.date,
        episode_id: str,
        stage: str,
        provider: str,
        estimate_usd: float,
        channel_limits: Limits,
        global_limits: Limits,
    ) -> Hold:
        """Hold `estimate_usd` against every cap, or raise BudgetExceeded with the numbers.

        Reserving the same `hold_id` again returns the existing hold (a retried step)."""
        estimate = to_micros(max(estimate_usd, 0.0))
        month = day.strftime("%Y-%m")
        scopes = [f"{GLOBAL}:{month}", f"channel:{channel}:{month}"]
        self._ensure_locks(scopes)
        with self.engine.begin() as conn:
            for scope in scopes:  # fixed order: no deadlock between two reservations
                conn.execute(
                    budget_locks.update()
                    .where(budget_locks.c.scope == scope)
                    .values(version=budget_locks.c.version + 1)
                )
            existing = conn.execute(
                sa.select(budget_holds).where(budget_holds.c.hold_id == hold_id)
            ).mappings().first()  # fmt: skip
            if existing:
                return Hold(hold_id, existing["channel"], existing["day"],
                            to_usd(existing["estimate_micros"]))  # fmt: skip
            checks = (
                (channel, channel, channel_limits),
                (GLOBAL, None, global_limits),
            )
            for label, scope_channel, limits in checks:
                for period, value, cap in (
                    ("day", day, limits.daily_usd),
                    ("month", month, limits.monthly_usd),
                ):
                    if cap is None:
                        continue
                    spent = self._committed(conn, scope_channel, period, value)  # type: ignore[arg-type]
                    if spent + estimate > to_micros(cap):
                        raise BudgetExceeded(
                            label, f"{period} {value}", to_usd(spent), to_usd(estimate), cap
                        )
            conn.execute(
                budget_holds.insert().values(
                    hold_id=hold_id, channel=channel, day=day, month=month,
                    episode_id=episode_id, stage=stage, provider=provider,
                    estimate_micros=estimate, created_at=dt.datetime.now(dt.UTC),
                )
            )  # fmt: skip
        return Hold(hold_id, channel, day, to_usd(estimate))

    def _close(self, hold_id: str, kind: str, actual: int) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    budget_outcomes.insert().values(
                        hold_id=hold_id, kind=kind, actual_micros=actual,
                        at=dt.datetime.now(dt.UTC),
                    )
                )  # fmt: skip
        except sa.exc.IntegrityError as exc:
            if self.outcome(hold_id) is not None:
                raise AlreadyClosed(f"hold {hold_id} was already closed") from None
            raise ValueError(f"hold {hold_id} does not exist or the outcome is invalid") from exc

    def settle(self, hold_id: str, actual_usd: float) -> None:
        """Replace the hold's estimate by what the call really cost (exactly once)."""
        self._close(hold_id, "settle", to_micros(max(actual_usd, 0.0)))

    def refund(self, hold_id: str) -> None:
        """The call failed: release the hold (exactly once; a second refund raises)."""
        self._close(hold_id, "refund", 0)

    def totals(self) -> dict[str, float]:
        """Whole-ledger sums, for consistency checks and the dashboard."""
        h, o = budget_holds, budget_outcomes
        with self.engine.connect() as conn:
            held = conn.execute(sa.select(sa.func.coalesce(sa.func.sum(h.c.estimate_micros), 0)))
            settled = conn.execute(
                sa.select(sa.func.coalesce(sa.func.sum(o.c.actual_micros), 0)).where(
                    o.c.kind == "settle"
                )
            )
            counts = dict(
                conn.execute(sa.select(o.c.kind, sa.func.count()).group_by(o.c.kind)).all()
            )
            held_v, settled_v = int(held.scalar_one()), int(settled.scalar_one())
            holds = int(conn.execute(sa.select(sa.func.count()).select_from(h)).scalar_one())
        return {
            "held_usd": to_usd(held_v),
            "settled_usd": to_usd(settled_v),
            "holds": holds,
            "settled": int(counts.get("settle", 0)),
            "refunded": int(counts.get("refund", 0)),
        }
