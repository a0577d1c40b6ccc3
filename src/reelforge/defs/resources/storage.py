"""Storage resources: the media store, the ledger and the DuckDB warehouse."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_aws.s3 import S3Resource
from pydantic import PrivateAttr

from reelforge.lib import warehouse
from reelforge.lib.audit import AuditLog
from reelforge.lib.blobs import S3Blobs
from reelforge.lib.budget import Budget
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.review_queue import ReviewQueue


def s3_blobs(s3: S3Resource | None, bucket: str, prefix: str) -> S3Blobs | None:
    """The bucket as blob storage, when one is configured (production); None locally."""
    if s3 is None or not bucket:
        return None
    return S3Blobs(s3.get_client(), bucket, prefix)


class MediaStoreResource(dg.ConfigurableResource):
    """Content-addressed media blobs (sha256 keys): a local folder, or S3 with it as a cache."""

    root: str
    s3: S3Resource | None = None
    bucket: str = ""
    prefix: str = "media/"
    _store: MediaStore | None = PrivateAttr(default=None)

    def store(self) -> MediaStore:
        # One boto3 client per resource instance: building one costs tens of milliseconds.
        if self._store is None:
            self._store = MediaStore(Path(self.root), s3_blobs(self.s3, self.bucket, self.prefix))
        return self._store

    def scratch(self) -> tempfile.TemporaryDirectory[str]:
        """A private work folder on the store's file system (so storing is a cheap copy)."""
        return self.store().work_folder()


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
