"""Exactly-once publishing of one video to one platform account, over the ledger.

`publish_once` is the whole procedure the `uploads` asset runs per platform:

1. find or create the upload row of (episode, platform, account);
2. a published row returns its post id; a failed one its reason; a deferred one whose window
   has not opened waits;
3. take the row's lease (waiting while another run holds it — when that run publishes, the
   existing post is returned);
4. a row not yet admitted is checked against the quota in the same transaction that starts
   it (or defers it with `not_before`);
5. the platform publishes, resuming the session an earlier attempt saved (the ledger's
   `SessionSink` persists every change); a post left processing is polled;
6. the outcome is written: published (post id, url, public time), processing (next poll),
   deferred (platform quota), failed (permanent reason), or the last error kept for a retry.

No Dagster here: the asset maps `Outcome.error` to retries or failures.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from reelforge.lib.ledger import LeaseLost, Ledger, TransitionError, Upload
from reelforge.lib.platforms.base import (
    PermanentPlatformError,
    Platform,
    PlatformError,
    PostRequest,
    PostResult,
    QuotaExceeded,
    UploadSession,
)
from reelforge.lib.publishing_decisions import Outcome, public_time
from reelforge.lib.quotas import Quota


@dataclass(frozen=True)
class PublishSettings:
    lease_ttl_s: float = 900.0  # renewed by every session save
    lease_wait_s: float = 120.0  # how long a second run waits for the first
    lease_poll_s: float = 0.5
    poll_interval_s: float = 5.0  # status polls of a post left processing
    poll_timeout_s: float = 120.0
    recheck_processing_s: float = 300.0  # then the deferred_uploads sensor polls again
    quota_retry_s: float = 3600.0  # platform quota errors without a reset time


def _outcome(row: Upload, **changes: object) -> Outcome:
    base: dict[str, object] = {
        "platform": row.platform, "account": row.account, "state": row.state,
        "upload_key": row.upload_key, "post_id": row.post_id, "url": row.url,
        "not_before": row.not_before, "reason": row.detail or "", "attempts": row.attempts,
    }  # fmt: skip
    base.update(changes)
    return Outcome(**base)  # type: ignore[arg-type]


def publish_once(
    ledger: Ledger,
    platform: Platform,
    request: PostRequest,
    *,
    quota: Quota,
    owner: str,
    now: Callable[[], dt.datetime],
    simulated_calendar: bool = False,
    slot_date: str | None = None,
    settings: PublishSettings = PublishSettings(),
    sleep: Callable[[float], None] = time.sleep,
    owner_gone: Callable[[str], bool] | None = None,
) -> Outcome:
    """Publish `request` on `platform` at most once, ever (see the module docstring).

    `owner_gone(lease_owner)` says whether another lease holder is known to have ended (a run
    the orchestrator marked finished: killed, crashed, failed). Its lease is then taken over at
    once instead of after its expiry, so a re-execution right after a crash resumes the upload.
    """
    name = platform.name
    row, _ = ledger.ensure_upload(
        request.content_hash, name, request.account, request.episode_id,
        channel=request.channel, slot_date=slot_date, now=now(),
    )  # fmt: skip
    settled = _settled(row, now())
    if settled is not None:
        return settled
    row, held = _lease(ledger, row, owner, now, settings, sleep, owner_gone)
    if not held:
        settled = _settled(row, now())
        if settled is not None:
            return settled
        until = row.lease_expires_at.isoformat() if row.lease_expires_at else "?"
        return _outcome(
            row, error="transient",
            reason=f"another run ({row.lease_owner}) is uploading it; its lease ends {until}",
        )  # fmt: skip
    try:
        return _attempt(ledger, platform, request, row, quota, owner, now, simulated_calendar,
                        settings, sleep)  # fmt: skip
    finally:
        ledger.release_lease(row.upload_key, owner)


def _settled(row: Upload, at: dt.datetime) -> Outcome | None:
    """The outcome of a row with nothing to do now, or None when work is due."""
    if row.state == "published":
        return _outcome(row, reason="already published")
    if row.state == "failed":
        return _outcome(row, error="permanent", reason=row.detail or row.last_error or "failed")
    if row.state == "deferred" and row.not_before is not None and row.not_before > at:
        return _outcome(row)
    return None


def _lease(
    ledger: Ledger,
    row: Upload,
    owner: str,
    now: Callable[[], dt.datetime],
    settings: PublishSettings,
    sleep: Callable[[float], None],
    owner_gone: Callable[[str], bool] | None = None,
) -> tuple[Upload, bool]:
    deadline = time.monotonic() + settings.lease_wait_s
    while True:
        if row.state == "published":
            return row, False
        row, held = ledger.acquire_lease(row.upload_key, owner, now(), settings.lease_ttl_s)
        if held or row.state == "published":
            return row, held
        holder = row.lease_owner
        if holder and owner_gone is not None and owner_gone(holder):
            # A dead holder never releases its lease (kill -9 runs no `finally`): without
            # this, the next run would wait out the whole TTL. Released only if still held
            # by that very owner, so a live run that took it meanwhile keeps it.
            ledger.release_lease(row.upload_key, holder)
            continue
        if time.monotonic() >= deadline:
            return row, held
        sleep(settings.lease_poll_s)


def _attempt(
    ledger: Ledger,
    platform: Platform,
    request: PostRequest,
    row: Upload,
    quota: Quota,
    owner: str,
    now: Callable[[], dt.datetime],
    simulated_calendar: bool,
    settings: PublishSettings,
    sleep: Callable[[float], None],
) -> Outcome:
    key, name = row.upload_key, platform.name
    if row.state in ("pending", "deferred"):
        verdict = ledger.admit_upload(key, owner, quota, now())
        if not verdict.admitted:
            error = "permanent" if verdict.never else None
            return _outcome(verdict.upload, error=error, reason=verdict.reason)
        row = verdict.upload
    try:
        row = ledger.begin_attempt(key, owner, now())
        sink = ledger.session_sink(key, owner, now, settings.lease_ttl_s)
        if row.state == "processing":
            result = platform.status(request, row.session or _session_of(row))
        else:
            result = platform.publish(request, row.session, sink)
        started = now()
        while result.state == "processing":
            row = ledger.transition(
                key, owner, "processing", now(), remote_id=result.post_id, detail=result.detail
            )
            if (now() - started).total_seconds() >= settings.poll_timeout_s:
                later = now() + dt.timedelta(seconds=settings.recheck_processing_s)
                row = ledger.transition(key, owner, "processing", now(), not_before=later)
                return _outcome(row, reason=f"still processing; polled again after {later}")
            sleep(settings.poll_interval_s)
            result = platform.status(request, row.session or _session_of(row))
        return _published(ledger, request, row, result, owner, now, simulated_calendar)
    except QuotaExceeded as exc:
        at = now()
        not_before = exc.not_before or at + dt.timedelta(seconds=settings.quota_retry_s)
        current = ledger.get_upload(key)
        if current is None or current.state != "uploading":
            ledger.record_error(key, owner, str(exc), at)
            return _outcome(current or row, error="transient", reason=exc.reason)
        # The platform refused before counting it: release what the local count took.
        row = ledger.transition(
            key, owner, "deferred", at, not_before=not_before, detail=f"{name}: {exc.reason}",
            last_error=exc.reason, admitted_at=None, api_units=0,
        )  # fmt: skip
        return _outcome(row)
    except PermanentPlatformError as exc:
        current = ledger.get_upload(key) or row
        row = ledger.transition(
            key, owner, "failed", now(), expect=current.state, detail=exc.reason,
            last_error=exc.reason,
        )  # fmt: skip
        return _outcome(row, error="permanent", reason=exc.reason)
    except LeaseLost as exc:
        return _outcome(ledger.get_upload(key) or row, error="transient", reason=str(exc))
    except (PlatformError, OSError, TransitionError) as exc:
        # Transient (5xx, timeouts, cut connections) or unexpected: keep the saved session,
        # keep the error, and let the step's retry policy try again.
        reason = exc.reason if isinstance(exc, PlatformError) else f"{type(exc).__name__}: {exc}"
        ledger.record_error(key, owner, reason, now())
        return _outcome(ledger.get_upload(key) or row, error="transient", reason=reason)


def _session_of(row: Upload) -> UploadSession:
    return UploadSession(remote_id=row.remote_id or row.post_id)


def _published(
    ledger: Ledger,
    request: PostRequest,
    row: Upload,
    result: PostResult,
    owner: str,
    now: Callable[[], dt.datetime],
    simulated_calendar: bool,
) -> Outcome:
    at = now()
    scheduled = request.publish_at
    if scheduled is None and "scheduled_at" in request.extra:
        scheduled = dt.datetime.fromisoformat(request.extra["scheduled_at"])
    public = public_time(scheduled, at, simulated_calendar)
    row = ledger.transition(
        row.upload_key, owner, "published", at, expect=row.state,
        post_id=result.post_id, url=result.url, detail=result.detail, published_at=public,
        remote_id=row.remote_id or result.post_id,
    )  # fmt: skip
    # This call moved the row to published (a lost answer resumed counts: the row was not).
    return _outcome(row, reason="published", newly_published=True)
