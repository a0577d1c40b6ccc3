"""Creating the ledger's tables when several processes open a fresh database at once.

`metadata.create_all(checkfirst=True)` checks and creates in separate statements: two run
workers opening a new SQLite (or PostgreSQL) ledger together both see a table missing, and
the slower one fails with "table … already exists" — a backfill's first runs would fail on
the day the ledger is new. The loser simply checks again: the table is there now.
"""

from __future__ import annotations

import time

import sqlalchemy as sa

# How each database says another process created it first (SQLite, PostgreSQL).
_RACE_SIGNS = (
    "already exists",
    "duplicate key value violates unique constraint",
    "duplicate column",
)


def lost_race(exc: sa.exc.DBAPIError) -> bool:
    """Whether a DDL error only means another process made the same object first."""
    return any(sign in str(exc.orig).lower() for sign in _RACE_SIGNS)


def create_tables(metadata: sa.MetaData, engine: sa.Engine, attempts: int = 5) -> None:
    """`metadata.create_all`, tolerating concurrent creators of the same tables."""
    for attempt in range(attempts):
        try:
            metadata.create_all(engine, checkfirst=True)
            return
        except sa.exc.DBAPIError as exc:
            if not lost_race(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
