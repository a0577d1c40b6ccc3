"""Storage resources: the media store, the ledger and the DuckDB warehouse."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg

from reelforge.lib import warehouse
from reelforge.lib.audit import AuditLog
from reelforge.lib.budget import Budget
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.review_queue import ReviewQueue


class MediaStoreResource(dg.ConfigurableResource):
    """Content-addressed media blobs (sha256 keys) under a local folder."""

    root: str

    def store(self) -> MediaStore:
        return MediaStore(Path(self.root))

    def scratch(self) -> tempfile.TemporaryDirectory[str]:
        """A private work folder on the store's file system (so storing is a cheap copy)."""
        base = self.store().scratch
        base.mkdir(parents=True, exist_ok=True)
        return tempfile.TemporaryDirectory(dir=base)


@cache
def _ledger(url: str) -> Ledger:
    # One engine (and connection pool) per process and URL.
    return Ledger(url)


@cache
def _budget(url: str) -> Budget:
    return Budget(url)


@cache
def _review_queue(url: str) -> ReviewQueue:
    # Tables are created once per process, not on every asset, check or sensor tick.
    return ReviewQueue(_ledger(url).engine)


@cache
def _audit(url: str) -> AuditLog:
    return AuditLog(_ledger(url).engine)


class LedgerResource(dg.ConfigurableResource):
    """Costs and uploads, transactional: SQLite file locally, PostgreSQL in production."""

    url: str

    def ledger(self) -> Ledger:
        return _ledger(self.url)

    def budget(self) -> Budget:
        """Budget holds and outcomes, in the same database as the ledger."""
        return _budget(self.url)

    def review_queue(self) -> ReviewQueue:
        """Moderation items waiting for (or decided by) an operator."""
        return _review_queue(self.url)

    def audit(self) -> AuditLog:
        return _audit(self.url)


class WarehouseResource(dg.ConfigurableResource):
    """The DuckDB warehouse file that dbt and the dashboard read."""

    path: str

    def write_episode(
        self, episode_id: str, rows: Mapping[str, Sequence[Mapping[str, Any]]]
    ) -> dict[str, int]:
        return warehouse.write_episode(Path(self.path), episode_id, rows)
