"""The audit log of operator actions (approvals, overrides, budget changes, backfills).

One table in the ledger database (defined with the overrides, which were its first writer);
every writer appends through `record`, readers page through `entries`.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import sqlalchemy as sa

from reelforge.lib.overrides import audit_table
from reelforge.lib.overrides import metadata as _metadata
from reelforge.lib.schema import create_tables


class AuditLog:
    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        create_tables(_metadata, engine)

    def record(self, actor: str, action: str, subject: str, detail: dict[str, Any]) -> None:
        with self.engine.begin() as conn:
            record_in(conn, actor, action, subject, detail)

    def has(self, action: str, subject: str) -> bool:
        query = sa.select(audit_table.c.audit_id).where(
            audit_table.c.action == action, audit_table.c.subject == subject
        )
        with self.engine.connect() as conn:
            return conn.execute(query.limit(1)).first() is not None

    def entries(self, limit: int = 100, action_prefix: str = "") -> list[dict[str, Any]]:
        query = sa.select(audit_table).order_by(audit_table.c.audit_id.desc()).limit(limit)
        if action_prefix:
            query = query.where(audit_table.c.action.startswith(action_prefix))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [{**dict(r), "detail": json.loads(r["detail_json"])} for r in rows]


def record_in(
    conn: sa.Connection, actor: str, action: str, subject: str, detail: dict[str, Any]
) -> None:
    """Append an entry inside the caller's transaction (it commits with the action itself)."""
    conn.execute(
        audit_table.insert().values(
            at=dt.datetime.now(dt.UTC), actor=actor or "unknown", action=action,
            subject=subject, detail_json=json.dumps(detail, default=str),
        )
    )  # fmt: skip
