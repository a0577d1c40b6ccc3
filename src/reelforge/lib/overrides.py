"""Analyst overrides of the generation policy, with an audit entry for every change.

An override pins a parameter to one value, excludes values, or forces an A/B split between
two values, for one channel. Overrides win over the model (the policy applies them last).
They live in the ledger database (SQLite by default, PostgreSQL in production) because the
dashboard writes them while the Dagster code reads them; the DuckDB warehouse stays read-only
for the dashboard.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Literal

import sqlalchemy as sa

from reelforge.lib.schema import create_tables

OverrideKind = Literal["pin", "exclude", "ab"]
KINDS: tuple[str, ...] = ("pin", "exclude", "ab")
# Parameters of a plan that an analyst may steer (they are the policy's arms).
PARAMETERS: tuple[str, ...] = (
    "genre",
    "hook_style",
    "voice",
    "speaking_rate_wpm",
    "music_mood",
    "target_seconds",
    "caption_style",
    "posting_hour",
)

metadata = sa.MetaData()

overrides_table = sa.Table(
    "policy_overrides",
    metadata,
    sa.Column("override_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("channel", sa.String(40), nullable=False, index=True),
    sa.Column("parameter", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(10), nullable=False),
    sa.Column("values_json", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("author", sa.String(120), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, default=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("removed_at", sa.DateTime(timezone=True)),
)

audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("audit_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("actor", sa.String(120), nullable=False),
    sa.Column("action", sa.String(60), nullable=False),
    sa.Column("subject", sa.String(200), nullable=False),
    sa.Column("detail_json", sa.Text, nullable=False),
)


class OverrideError(ValueError):
    """An override that cannot be applied; the message says what is allowed."""


@dataclass(frozen=True)
class Override:
    override_id: int
    channel: str
    parameter: str
    kind: OverrideKind
    values: tuple[str, ...]
    reason: str
    author: str
    created_at: dt.datetime
    active: bool

    def describe(self) -> str:
        if self.kind == "pin":
            return f"{self.parameter} pinned to {self.values[0]}"
        if self.kind == "exclude":
            return f"{self.parameter} excludes {', '.join(self.values)}"
        return f"{self.parameter} A/B split {self.values[0]} vs {self.values[1]}"


def validate(channel: str, parameter: str, kind: str, values: list[str] | tuple[str, ...]) -> None:
    problems = []
    if not channel:
        problems.append("channel is required")
    if parameter not in PARAMETERS:
        problems.append(
            f"parameter {parameter!r} is not steerable; use one of: {', '.join(PARAMETERS)}"
        )
    if kind not in KINDS:
        problems.append(f"kind {kind!r} is not allowed; use one of: {', '.join(KINDS)}")
    vals = [str(v) for v in values]
    if any(not v.strip() for v in vals):
        problems.append("values must not be empty")
    if kind == "pin" and len(vals) != 1:
        problems.append("a pin takes exactly one value")
    if kind == "exclude" and len(vals) < 1:
        problems.append("an exclusion takes at least one value")
    if kind == "ab" and (len(vals) != 2 or vals[0] == vals[1]):
        problems.append("an A/B split takes exactly two different values")
    if problems:
        raise OverrideError("invalid override: " + "; ".join(problems))


class OverrideStore:
    """Overrides and the audit log in the ledger database (any SQLAlchemy URL)."""

    def __init__(self, url: str | sa.Engine) -> None:
        self.engine = sa.create_engine(url, future=True) if isinstance(url, str) else url
        create_tables(metadata, self.engine)

    def add(
        self,
        channel: str,
        parameter: str,
        kind: str,
        values: list[str] | tuple[str, ...],
        reason: str,
        author: str,
    ) -> Override:
        """Store an override (replacing an active one of the same channel and parameter)."""
        validate(channel, parameter, kind, values)
        now = dt.datetime.now(dt.UTC)
        vals = [str(v) for v in values]
        with self.engine.begin() as conn:
            conn.execute(
                overrides_table.update()
                .where(overrides_table.c.channel == channel)
                .where(overrides_table.c.parameter == parameter)
                .where(overrides_table.c.active.is_(True))
                .values(active=False, removed_at=now)
            )
            new_id = conn.execute(
                overrides_table.insert().values(
                    channel=channel, parameter=parameter, kind=kind,
                    values_json=json.dumps(vals), reason=reason, author=author or "unknown",
                    active=True, created_at=now,
                )
            ).inserted_primary_key[0]  # fmt: skip
            detail = {"override_id": new_id, "kind": kind, "values": vals, "reason": reason}
            self._audit(conn, author, "override.add", f"{channel}.{parameter}", detail)
        found = self.get(int(new_id))
        if found is None:  # not an assert: those vanish under python -O
            raise RuntimeError(f"override {new_id} vanished right after it was stored")
        return found

    def remove(self, override_id: int, reason: str, author: str) -> None:
        now = dt.datetime.now(dt.UTC)
        with self.engine.begin() as conn:
            done = conn.execute(
                overrides_table.update()
                .where(overrides_table.c.override_id == override_id)
                .where(overrides_table.c.active.is_(True))
                .values(active=False, removed_at=now)
            ).rowcount
            if not done:
                raise OverrideError(f"no active override with id {override_id}")
            self._audit(conn, author, "override.remove", str(override_id), {"reason": reason})

    def get(self, override_id: int) -> Override | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(overrides_table).where(overrides_table.c.override_id == override_id)
            ).mappings().first()  # fmt: skip
        return _override(row) if row else None

    def active(self, channel: str | None = None) -> list[Override]:
        query = sa.select(overrides_table).where(overrides_table.c.active.is_(True))
        if channel is not None:
            query = query.where(overrides_table.c.channel == channel)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(overrides_table.c.override_id)).mappings().all()
        return [_override(r) for r in rows]

    def record(self, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
        """An audit entry for any operator action (approvals, budget changes, backfills...)."""
        with self.engine.begin() as conn:
            self._audit(conn, actor, action, subject, detail)

    def audit(self, limit: int = 100) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(audit_table).order_by(audit_table.c.audit_id.desc()).limit(limit)
            ).mappings().all()  # fmt: skip
        return [{**dict(r), "detail": json.loads(r["detail_json"])} for r in rows]

    @staticmethod
    def _audit(conn: sa.Connection, actor: str, action: str, subject: str, detail: Any) -> None:
        conn.execute(
            audit_table.insert().values(
                at=dt.datetime.now(dt.UTC), actor=actor or "unknown", action=action,
                subject=subject, detail_json=json.dumps(detail, default=str),
            )
        )  # fmt: skip


def _override(row: Any) -> Override:
    return Override(
        override_id=int(row["override_id"]),
        channel=row["channel"],
        parameter=row["parameter"],
        kind=row["kind"],
        values=tuple(json.loads(row["values_json"])),
        reason=row["reason"],
        author=row["author"],
        created_at=row["created_at"],
        active=bool(row["active"]),
    )
