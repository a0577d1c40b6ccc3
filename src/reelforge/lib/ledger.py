"""The ledger: provider calls (costs), uploads and engagement snapshots, transactional and
safe for many processes.

SQLite file by default, any SQLAlchemy URL (PostgreSQL in production) through one code path.
Idempotency is enforced by primary keys and conditional updates, not by care: a retried call
with the same request hash is recorded once; an upload (episode, platform, account) has one
row whose state machine (`UPLOAD_TRANSITIONS`) only moves under its lease, so two runs never
upload it at once and a published row is never posted again; quota admissions for one account
are serialised by a row of `quota_locks`; a snapshot (upload, age) is stored once.
Ledger files made by older versions gain new columns on open (additive ALTER TABLE).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import sqlalchemy as sa

from reelforge.lib import quotas as quota_math
from reelforge.lib.platforms.base import UploadSession
from reelforge.lib.schema import create_tables, lost_race

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

# One row per (episode, platform, account): the upload's state machine (see UPLOAD_TRANSITIONS),
# its resumable session, its lease, and what it counted against the platform's quota.
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
    # Added with the publishing state machine; older ledger files gain them by ALTER TABLE.
    sa.Column("channel", sa.String(40)),
    sa.Column("slot_date", sa.String(10)),
    sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
    sa.Column("last_error", sa.Text),
    sa.Column("session_uri", sa.String(2000)),
    sa.Column("committed_bytes", sa.BigInteger, nullable=False, server_default="0"),
    sa.Column("remote_id", sa.String(200)),
    sa.Column("session_detail", sa.Text),
    sa.Column("not_before", sa.DateTime(timezone=True)),
    sa.Column("lease_owner", sa.String(200)),
    sa.Column("lease_expires_at", sa.DateTime(timezone=True)),
    sa.Column("admitted_at", sa.DateTime(timezone=True)),
    sa.Column("api_units", sa.Integer, nullable=False, server_default="0"),
    sa.Column("published_at", sa.DateTime(timezone=True)),
)

# One row per platform and account, updated first in every quota admission: it serialises
# concurrent admissions (a row lock in PostgreSQL, the write lock in SQLite).
quota_locks = sa.Table(
    "quota_locks",
    metadata,
    sa.Column("platform", sa.String(40), primary_key=True),
    sa.Column("account", sa.String(120), primary_key=True),
    sa.Column("admissions", sa.Integer, nullable=False, server_default="0"),
)

# Engagement of a post at a fixed age after publishing, collected once per (upload, age).
engagement_snapshots = sa.Table(
    "engagement_snapshots",
    metadata,
    sa.Column("upload_key", sa.String(64), primary_key=True),
    sa.Column("age_hours", sa.Integer, primary_key=True),
    sa.Column("episode_id", sa.String(200), nullable=False, index=True),
    sa.Column("platform", sa.String(40), nullable=False),
    sa.Column("account", sa.String(120), nullable=False),
    sa.Column("post_id", sa.String(200), nullable=False),
    sa.Column("views", sa.BigInteger, nullable=False),
    sa.Column("likes", sa.BigInteger, nullable=False),
    sa.Column("comments", sa.BigInteger, nullable=False),
    sa.Column("shares", sa.BigInteger, nullable=False),
    sa.Column("watch_time_s", sa.Float, nullable=False),
    sa.Column("avg_view_duration_s", sa.Float, nullable=False),
    sa.Column("avg_view_pct", sa.Float, nullable=False),
    sa.Column("subscribers_gained", sa.BigInteger, nullable=False),
    sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
    sa.Column("collected_at", sa.DateTime(timezone=True), nullable=False),
)

UploadState = Literal["pending", "uploading", "processing", "published", "failed", "deferred"]
# Allowed moves. `failed` is terminal unless an operator asks for a retry (reset_failed);
# `published` is terminal. Self-moves record progress (a session saved, another poll).
UPLOAD_TRANSITIONS: dict[str, frozenset[str]] = {
    "pending": frozenset({"uploading", "deferred", "failed"}),
    "deferred": frozenset({"uploading", "deferred", "failed"}),
    "uploading": frozenset({"uploading", "processing", "published", "failed", "deferred"}),
    "processing": frozenset({"processing", "published", "failed"}),
    "failed": frozenset({"pending"}),
    "published": frozenset(),
}


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


class TransitionError(ValueError):
    """A state change the upload state machine does not allow (a bug, not a platform error)."""


class LeaseLost(RuntimeError):
    """Another run holds (or took over) the upload's lease: this run must stop touching it."""


def _utc(t: dt.datetime) -> dt.datetime:
    return t.astimezone(dt.UTC) if t.tzinfo else t.replace(tzinfo=dt.UTC)


def _read_time(t: dt.datetime | None) -> dt.datetime | None:
    # SQLite returns naive datetimes (stored as UTC); PostgreSQL returns aware ones.
    return None if t is None else _utc(t)


@dataclass(frozen=True)
class Upload:
    """One upload row: (episode, platform, account) → its state, session, lease and post."""

    upload_key: str
    content_hash: str
    platform: str
    account: str
    episode_id: str
    state: str
    post_id: str | None
    url: str | None
    detail: str | None = None
    channel: str | None = None
    slot_date: str | None = None
    attempts: int = 0
    last_error: str | None = None
    session_uri: str | None = None
    committed_bytes: int = 0
    remote_id: str | None = None
    session_detail: str | None = None
    not_before: dt.datetime | None = None
    lease_owner: str | None = None
    lease_expires_at: dt.datetime | None = None
    admitted_at: dt.datetime | None = None
    api_units: int = 0
    published_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @property
    def session(self) -> UploadSession | None:
        """The resumable state an earlier attempt saved (None before the first save)."""
        if not (self.session_uri or self.remote_id or self.committed_bytes):
            return None
        return UploadSession(
            session_uri=self.session_uri,
            committed_bytes=self.committed_bytes,
            remote_id=self.remote_id,
            detail=self.session_detail or "",
        )

    @classmethod
    def from_row(cls, row: Any) -> Upload:
        values = {k: row[k] for k in cls.__dataclass_fields__ if k in row}
        for name in ("not_before", "lease_expires_at", "admitted_at", "published_at", "updated_at"):
            values[name] = _read_time(values.get(name))
        return cls(**values)


@dataclass(frozen=True)
class QuotaVerdict:
    admitted: bool
    upload: Upload
    not_before: dt.datetime | None = None
    reason: str = ""
    never: bool = False


class LedgerSessionSink:
    """A `SessionSink` that persists every session change to the upload row (and renews the
    lease, so a long upload that keeps making progress is never taken over)."""

    def __init__(
        self, ledger: Ledger, key: str, owner: str, now: Callable[[], dt.datetime], ttl_s: float
    ) -> None:
        self.ledger, self.key, self.owner, self.now, self.ttl_s = ledger, key, owner, now, ttl_s
        self.saved: list[UploadSession] = []

    def save(self, session: UploadSession) -> None:
        self.ledger.save_session(self.key, self.owner, session, self.now(), self.ttl_s)
        self.saved.append(session)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue, not fail.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


def _add_missing_columns(engine: sa.Engine) -> None:
    """Bring a ledger created by an older reelforge up to date, additively.

    `create_all` makes missing tables but never changes existing ones; every column added
    since is nullable or has a server default, so `ALTER TABLE … ADD COLUMN` keeps every row.
    """
    inspector = sa.inspect(engine)
    for table in metadata.sorted_tables:
        present = {c["name"] for c in inspector.get_columns(table.name)}
        missing = [c for c in table.columns if c.name not in present]
        if not missing:
            continue
        with engine.begin() as conn:
            for column in missing:
                kind = column.type.compile(dialect=engine.dialect)
                default = ""
                if column.server_default is not None:
                    default = f" DEFAULT {column.server_default.arg}"  # type: ignore[attr-defined]
                null = "" if column.nullable else " NOT NULL"
                statement = (
                    f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {kind}{default}{null}'
                )
                try:
                    with conn.begin_nested():
                        conn.execute(sa.text(statement))
                except sa.exc.DBAPIError as exc:
                    if not lost_race(exc):  # another process added it first: fine
                        raise


class Ledger:
    def __init__(self, url: str) -> None:
        # pool_pre_ping: a pooled connection that died with a database restart is replaced
        # before use, instead of failing the next booking with "server closed the connection".
        pre_ping = not url.startswith("sqlite")
        self.engine = sa.create_engine(url, future=True, pool_pre_ping=pre_ping)
        database = self.engine.url.database
        if self.engine.dialect.name == "sqlite" and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)  # a fresh REELFORGE_HOME
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
        create_tables(metadata, self.engine)
        _add_missing_columns(self.engine)

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

    # --- uploads: the publishing state machine -------------------------------------------

    def get_upload(self, key: str) -> Upload | None:
        with self.engine.connect() as conn:
            found = (
                conn.execute(sa.select(uploads).where(uploads.c.upload_key == key))
                .mappings()
                .first()
            )
        return Upload.from_row(found) if found else None

    def ensure_upload(
        self,
        content_hash: str,
        platform: str,
        account: str,
        episode_id: str,
        *,
        channel: str | None = None,
        slot_date: str | None = None,
        now: dt.datetime | None = None,
    ) -> tuple[Upload, bool]:
        """The upload row of (episode, platform, account), created pending if new.

        True when this call created it. An existing row keeps the content hash it was
        created with: a re-render of a published episode is never posted again.
        """
        key = upload_key(episode_id, platform, account)
        at = _utc(now or dt.datetime.now(dt.UTC))
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
                        channel=channel,
                        slot_date=slot_date,
                        created_at=at,
                        updated_at=at,
                    )
                )
            created = True
        except sa.exc.IntegrityError:
            created = False
        found = self.get_upload(key)
        if found is None:  # not an assert: those vanish under python -O
            raise RuntimeError(f"upload row {key} vanished right after it was claimed")
        return found, created

    def claim_upload(
        self, content_hash: str, platform: str, account: str, episode_id: str
    ) -> tuple[Upload, bool]:
        """Create the pending upload row, or return the existing one (kept for callers of the
        first ledger; `ensure_upload` is the same with the slot and clock)."""
        return self.ensure_upload(content_hash, platform, account, episode_id)

    def acquire_lease(
        self, key: str, owner: str, now: dt.datetime, ttl_s: float
    ) -> tuple[Upload, bool]:
        """Take the upload's lease unless another owner holds an unexpired one.

        Returns the row and whether `owner` now holds the lease. A published row is never
        leased (there is nothing left to do). One conditional UPDATE: atomic in SQLite and
        PostgreSQL alike, so two racing runs cannot both win.
        """
        at = _utc(now)
        c = uploads.c
        with self.engine.begin() as conn:
            won = conn.execute(
                uploads.update()
                .where(
                    c.upload_key == key,
                    c.state != "published",
                    sa.or_(
                        c.lease_owner.is_(None), c.lease_owner == owner, c.lease_expires_at < at
                    ),
                )
                .values(lease_owner=owner, lease_expires_at=at + dt.timedelta(seconds=ttl_s))
            ).rowcount
        found = self.get_upload(key)
        if found is None:
            raise KeyError(f"no upload {key}")
        return found, bool(won)

    def release_lease(self, key: str, owner: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                uploads.update()
                .where(uploads.c.upload_key == key, uploads.c.lease_owner == owner)
                .values(lease_owner=None, lease_expires_at=None)
            )

    def _guarded_update(
        self, conn: sa.Connection, key: str, owner: str, states: Iterable[str], **values: Any
    ) -> Upload:
        """UPDATE the row only while `owner` holds its lease and it is in one of `states`."""
        c = uploads.c
        done = conn.execute(
            uploads.update()
            .where(c.upload_key == key, c.lease_owner == owner, c.state.in_(list(states)))
            .values(**values)
        ).rowcount
        row = conn.execute(sa.select(uploads).where(c.upload_key == key)).mappings().first()
        if row is None:
            raise KeyError(f"no upload {key}")
        current = Upload.from_row(row)
        if not done:
            if current.lease_owner != owner:
                raise LeaseLost(
                    f"upload {key[:12]} is leased by {current.lease_owner!r}, not {owner!r}"
                )
            raise TransitionError(f"upload {key[:12]} is {current.state}; expected {states}")
        return current

    def transition(
        self,
        key: str,
        owner: str,
        to: UploadState,
        now: dt.datetime,
        *,
        expect: str | None = None,
        **values: Any,
    ) -> Upload:
        """Move the upload to `to` (validated against UPLOAD_TRANSITIONS), under the lease.

        `values` sets other columns in the same statement (post_id, url, not_before, …).
        Terminal and waiting states release the lease.
        """
        current = self.get_upload(key)
        if current is None:
            raise KeyError(f"no upload {key}")
        source = expect or current.state
        if to not in UPLOAD_TRANSITIONS[source]:
            raise TransitionError(f"upload {key[:12]}: {source} → {to} is not allowed")
        changes: dict[str, Any] = {"state": to, "updated_at": _utc(now), **values}
        if to in ("published", "failed", "deferred"):
            changes.update(lease_owner=None, lease_expires_at=None)
        if to != "deferred" and "not_before" not in values and to != "processing":
            changes["not_before"] = None
        with self.engine.begin() as conn:
            return self._guarded_update(conn, key, owner, [source], **changes)

    def begin_attempt(self, key: str, owner: str, now: dt.datetime) -> Upload:
        """Count one more attempt at the platform (shown with the last error)."""
        with self.engine.begin() as conn:
            return self._guarded_update(
                conn, key, owner, ["uploading", "processing"],
                attempts=uploads.c.attempts + 1, updated_at=_utc(now),
            )  # fmt: skip

    def record_error(self, key: str, owner: str, error: str, now: dt.datetime) -> None:
        """Keep the last error of an attempt that will be retried (state unchanged)."""
        with self.engine.begin() as conn:
            conn.execute(
                uploads.update()
                .where(uploads.c.upload_key == key, uploads.c.lease_owner == owner)
                .values(last_error=error[:4000], updated_at=_utc(now))
            )

    def save_session(
        self, key: str, owner: str, session: UploadSession, now: dt.datetime, ttl_s: float
    ) -> Upload:
        """Persist a client's resumable state and renew the lease (raises LeaseLost)."""
        at = _utc(now)
        with self.engine.begin() as conn:
            return self._guarded_update(
                conn, key, owner, ["uploading", "processing"],
                session_uri=session.session_uri, committed_bytes=session.committed_bytes,
                remote_id=session.remote_id, session_detail=session.detail,
                lease_expires_at=at + dt.timedelta(seconds=ttl_s), updated_at=at,
            )  # fmt: skip

    def session_sink(
        self, key: str, owner: str, now: Callable[[], dt.datetime], ttl_s: float
    ) -> LedgerSessionSink:
        return LedgerSessionSink(self, key, owner, now, ttl_s)

    def admit_upload(
        self, key: str, owner: str, quota: quota_math.Quota, now: dt.datetime
    ) -> QuotaVerdict:
        """Check the quota and, in the same transaction, start the upload or defer it.

        The first statement bumps the (platform, account) row of `quota_locks`, so concurrent
        admissions for one account run one after the other and never overshoot the quota.
        A row already admitted (an earlier attempt counted) is not counted again.
        """
        at = _utc(now)
        current = self.get_upload(key)
        if current is None:
            raise KeyError(f"no upload {key}")
        if current.state in ("uploading", "processing"):
            return QuotaVerdict(True, current)
        if "uploading" not in UPLOAD_TRANSITIONS[current.state]:
            raise TransitionError(f"upload {key[:12]} is {current.state}; cannot start it")
        platform, account = current.platform, current.account
        try:  # the lock row exists once per account; racing creators both end up with it
            with self.engine.begin() as conn:
                conn.execute(quota_locks.insert().values(platform=platform, account=account))
        except sa.exc.IntegrityError:
            pass
        with self.engine.begin() as conn:
            lock = quota_locks.c
            bumped = conn.execute(
                quota_locks.update()
                .where(lock.platform == platform, lock.account == account)
                .values(admissions=lock.admissions + 1)
            ).rowcount
            if not bumped:
                raise RuntimeError(f"quota lock row of {platform}/{account} is missing")
            c = uploads.c
            rows = conn.execute(
                sa.select(c.admitted_at, c.api_units).where(
                    c.platform == platform,
                    c.account == account,
                    c.admitted_at.is_not(None),
                    c.admitted_at > at - quota_math.LOOKBACK,
                    c.upload_key != key,
                )
            ).all()
            past = [quota_math.Admission(_utc(r.admitted_at), r.api_units or 0) for r in rows]
            decision = quota_math.check(quota, account, past, at)
            if decision.allowed:
                row = self._guarded_update(
                    conn, key, owner, [current.state],
                    state="uploading", admitted_at=at, api_units=quota.upload_units,
                    not_before=None, updated_at=at,
                )  # fmt: skip
                return QuotaVerdict(True, row)
            if decision.never:
                row = self._guarded_update(
                    conn, key, owner, [current.state],
                    state="failed", detail=decision.reason, last_error=decision.reason,
                    lease_owner=None, lease_expires_at=None, updated_at=at,
                )  # fmt: skip
                return QuotaVerdict(False, row, reason=decision.reason, never=True)
            row = self._guarded_update(
                conn, key, owner, [current.state],
                state="deferred", not_before=decision.not_before, detail=decision.reason,
                lease_owner=None, lease_expires_at=None, updated_at=at,
            )  # fmt: skip
            return QuotaVerdict(False, row, decision.not_before, decision.reason)

    def reset_failed(self, key: str, owner: str, now: dt.datetime) -> Upload:
        """An operator's retry of a failed upload: back to pending, session kept."""
        return self.transition(key, owner, "pending", now, expect="failed")

    def uploads_for(self, episode_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(uploads).where(uploads.c.episode_id == episode_id)
            ).mappings()
            return [dict(r) for r in rows]

    def upload_rows(
        self, states: Iterable[str] | None = None, episode_id: str | None = None
    ) -> list[Upload]:
        """Upload rows, optionally only some states or one episode (sensors read these)."""
        query = sa.select(uploads)
        if states is not None:
            query = query.where(uploads.c.state.in_(list(states)))
        if episode_id is not None:
            query = query.where(uploads.c.episode_id == episode_id)
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(uploads.c.created_at)).mappings().all()
        return [Upload.from_row(r) for r in rows]

    # --- engagement snapshots ------------------------------------------------------------

    def record_snapshot(self, upload: Upload, age_hours: int, values: dict[str, Any]) -> bool:
        """Store the snapshot of a post at one age; False when it was already collected."""
        row = {
            "upload_key": upload.upload_key, "age_hours": age_hours,
            "episode_id": upload.episode_id, "platform": upload.platform,
            "account": upload.account, "post_id": upload.post_id, **values,
        }  # fmt: skip
        for name in ("as_of", "collected_at"):
            row[name] = _utc(row[name])
        try:
            with self.engine.begin() as conn:
                conn.execute(engagement_snapshots.insert().values(**row))
        except sa.exc.IntegrityError:
            return False
        return True

    def snapshots_for(self, episode_id: str | None = None) -> list[dict[str, Any]]:
        query = sa.select(engagement_snapshots)
        if episode_id is not None:
            query = query.where(engagement_snapshots.c.episode_id == episode_id)
        t = engagement_snapshots.c
        with self.engine.connect() as conn:
            rows = conn.execute(query.order_by(t.platform, t.post_id, t.age_hours)).mappings()
            out = [dict(r) for r in rows]
        for r in out:
            r["as_of"], r["collected_at"] = _read_time(r["as_of"]), _read_time(r["collected_at"])
        return out

    def collected_ages(self) -> dict[str, set[int]]:
        """Ages already collected, per upload key."""
        t = engagement_snapshots.c
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t.upload_key, t.age_hours)).all()
        out: dict[str, set[int]] = {}
        for key, age in rows:
            out.setdefault(key, set()).add(age)
        return out
