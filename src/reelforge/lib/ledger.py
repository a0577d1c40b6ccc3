"""The ledger: provider calls (costs) and uploads, transactional and safe for many processes.

SQLite file by default, any SQLAlchemy URL (PostgreSQL in production) through one code path.
Idempotency is enforced by primary keys, not by care: a retried call with the same request
hash is recorded once, an upload with the same key is claimed once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()

provider_calls = sa.Table(
    "provider_calls",
    metadata,
    sa.Column("request_hash", sa.String(64), primary_key=True),
    sa.Column("episode_id", sa.String(200), nullable=False, index=True),
    sa.Column("stage", sa.String(40), nullable=False),
    sa.Column("provider", sa.String(80), nullable=False),
    sa.Column("model", sa.String(120), nullable=False),
    sa.Column("unit", sa.String(40), nullable=False),
    sa.Column("units", sa.Float, nullable=False),
    sa.Column("unit_price_usd", sa.Float, nullable=False),
    sa.Column("cost_usd", sa.Float, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # Media-store key of the provider's answer: a re-run reuses it instead of paying again.
    sa.Column("response_key", sa.String(100)),
)

uploads = sa.Table(
    "uploads",
    metadata,
    sa.Column("upload_key", sa.String(64), primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False),
    sa.Column("platform", sa.String(40), nullable=False),
    sa.Column("account", sa.String(120), nullable=False),
    sa.Column("episode_id", sa.String(200), nullable=False, index=True),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("post_id", sa.String(200)),
    sa.Column("url", sa.String(2000)),
    sa.Column("detail", sa.Text),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
)


def request_hash(*parts: Any) -> str:
    """Stable hash of what a provider call asks for (same request → same hash)."""
    blob = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def upload_key(episode_id: str, platform: str, account: str) -> str:
    """One post per episode, platform and account.

    Keyed by the episode rather than the video bytes alone: a re-render that encodes a few
    bits differently (x264 and filter threading are not bit-exact at every preset) must not
    publish the episode a second time. The row still records the content hash it posted.
    """
    return request_hash("upload", episode_id, platform, account)


@dataclass(frozen=True)
class ProviderCall:
    request_hash: str
    episode_id: str
    stage: str
    provider: str
    model: str
    unit: str
    units: float
    unit_price_usd: float = 0.0
    duration_s: float = 0.0
    created_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    response_key: str | None = None
    # Prices that are not units × one rate (tokens in and out, resolution multipliers).
    cost_override_usd: float | None = None

    @property
    def cost_usd(self) -> float:
        if self.cost_override_usd is not None:
            return round(self.cost_override_usd, 6)
        return round(self.units * self.unit_price_usd, 6)


@dataclass(frozen=True)
class Upload:
    upload_key: str
    content_hash: str
    platform: str
    account: str
    episode_id: str
    state: str
    post_id: str | None
    url: str | None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue, not fail.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


class Ledger:
    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url, future=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        metadata.create_all(self.engine, checkfirst=True)

    def record_call(self, call: ProviderCall) -> bool:
        """Record a provider call; False when the same request hash is already booked."""
        row = {
            "request_hash": call.request_hash,
            "episode_id": call.episode_id,
            "stage": call.stage,
            "provider": call.provider,
            "model": call.model,
            "unit": call.unit,
            "units": call.units,
            "unit_price_usd": call.unit_price_usd,
            "cost_usd": call.cost_usd,
            "duration_s": call.duration_s,
            "created_at": call.created_at,
            "response_key": call.response_key,
        }
        with self.engine.begin() as conn:
            exists = conn.execute(
                sa.select(provider_calls.c.request_hash).where(
                    provider_calls.c.request_hash == call.request_hash
                )
            ).first()
            if exists:
                return False
            try:
                conn.execute(provider_calls.insert().values(**row))
            except sa.exc.IntegrityError:
                return False
        return True

    def get_call(self, request_hash: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(provider_calls).where(provider_calls.c.request_hash == request_hash)
            ).mappings()
            found = row.first()
        return dict(found) if found else None

    def calls_for(self, episode_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(provider_calls).where(provider_calls.c.episode_id == episode_id)
            ).mappings()
            return [dict(r) for r in rows]

    def get_upload(self, key: str) -> Upload | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(uploads).where(uploads.c.upload_key == key)).mappings()
            found = row.first()
        if found is None:
            return None
        return Upload(**{k: found[k] for k in Upload.__dataclass_fields__})

    def claim_upload(
        self, content_hash: str, platform: str, account: str, episode_id: str
    ) -> tuple[Upload, bool]:
        """Create the pending upload row, or return the existing one. True when newly claimed."""
        key = upload_key(episode_id, platform, account)
        now = dt.datetime.now(dt.UTC)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    uploads.insert().values(
                        upload_key=key,
                        content_hash=content_hash,
                        platform=platform,
                        account=account,
                        episode_id=episode_id,
                        state="pending",
                        created_at=now,
                        updated_at=now,
                    )
                )
            claimed = True
        except sa.exc.IntegrityError:
            claimed = False
        found = self.get_upload(key)
        assert found is not None
        return found, claimed

    def finish_upload(
        self, key: str, state: str, post_id: str | None, url: str | None, detail: str = ""
    ) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                uploads.update()
                .where(uploads.c.upload_key == key)
                .values(
                    state=state,
                    post_id=post_id,
                    url=url,
                    detail=detail,
                    updated_at=dt.datetime.now(dt.UTC),
                )
            )

    def uploads_for(self, episode_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(uploads).where(uploads.c.episode_id == episode_id)
            ).mappings()
            return [dict(r) for r in rows]
