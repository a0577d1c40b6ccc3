"""The upload state machine in the ledger: transitions, leases, quota admission, races,
migration of older ledger files, and `publish_once` over it with the real outbox."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from reelforge.constants import DEFAULT_SIM_TRUTH
from reelforge.lib import outbox
from reelforge.lib.audience import load_truth
from reelforge.lib.ledger import LeaseLost, Ledger, TransitionError, upload_key
from reelforge.lib.outbox import OutboxClient
from reelforge.lib.platforms.base import (
    PermanentPlatformError,
    PostRequest,
    PostResult,
    QuotaExceeded,
    TransientPlatformError,
    UploadSession,
)
from reelforge.lib.publisher import PublishSettings, publish_once
from reelforge.lib.quotas import UNLIMITED, Limit, Quota

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TWO_A_DAY = Quota(limits=[Limit(name="uploads_per_day", max=2, window="day")])
FAST = PublishSettings(lease_wait_s=10, lease_poll_s=0.01, poll_interval_s=0, poll_timeout_s=1)


def _ledger(tmp: Path) -> Ledger:
    return Ledger(f"sqlite:///{tmp / 'ledger.sqlite'}")


def _request(tmp: Path, n: int = 0, channel: str = "space_facts") -> PostRequest:
    video = tmp / f"video{n}.mp4"
    if not video.exists():
        video.write_bytes(f"video bytes {n}".encode())
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    return PostRequest(
        episode_id=f"{channel}-2026-11-{21 + n:02d}",
        channel=channel,
        account="local",
        video_path=video,
        content_hash=digest,
        title=f"Episode {n}",
        description="d",
        tags=("facts",),
        extra={
            "plan": '{"genre": "space", "seed": 5}',
            "duration_s": "30",
            "scheduled_at": "2026-11-21T17:00:00+00:00",
        },
    )


def _outbox(tmp: Path) -> OutboxClient:
    return OutboxClient(tmp / "outbox", load_truth(DEFAULT_SIM_TRUTH))


def test_transitions_are_validated(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    row, created = book.ensure_upload("a" * 64, "outbox", "local", "ep", now=NOW)
    assert created and row.state == "pending"
    _, held = book.acquire_lease(row.upload_key, "me", NOW, 60)
    assert held
    with pytest.raises(TransitionError, match="pending → published"):
        book.transition(row.upload_key, "me", "published", NOW, post_id="p")
    book.admit_upload(row.upload_key, "me", UNLIMITED, NOW)
    book.transition(row.upload_key, "me", "processing", NOW, remote_id="r1")
    book.transition(row.upload_key, "me", "published", NOW, post_id="p", url="u")
    done = book.get_upload(row.upload_key)
    assert done is not None and (done.state, done.post_id, done.lease_owner) == (
        "published",
        "p",
        None,
    )
    # Published is terminal and cannot even be leased again.
    _, held = book.acquire_lease(row.upload_key, "me", NOW, 60)
    assert not held
    with pytest.raises(TransitionError):
        book.transition(row.upload_key, "me", "uploading", NOW)
    again, created = book.ensure_upload("b" * 64, "outbox", "local", "ep", now=NOW)
    assert not created and (again.post_id, again.content_hash) == ("p", "a" * 64)


def test_lease_excludes_a_second_owner_until_it_expires(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    row, _ = book.ensure_upload("a" * 64, "outbox", "local", "ep", now=NOW)
    assert book.acquire_lease(row.upload_key, "run-1", NOW, 60)[1]
    assert not book.acquire_lease(row.upload_key, "run-2", NOW + dt.timedelta(seconds=59), 60)[1]
    book.admit_upload(row.upload_key, "run-1", UNLIMITED, NOW)
    # A session save renews the lease; a non-holder's save is refused.
    book.save_session(row.upload_key, "run-1", UploadSession("uri", 100), NOW, 60)
    with pytest.raises(LeaseLost):
        book.save_session(row.upload_key, "run-2", UploadSession("uri", 200), NOW, 60)
    later = NOW + dt.timedelta(seconds=61)
    taken, held = book.acquire_lease(row.upload_key, "run-2", later, 60)
    assert held and taken.lease_owner == "run-2"
    assert taken.session == UploadSession("uri", 100)  # the new owner resumes from here
    with pytest.raises(LeaseLost):
        book.transition(row.upload_key, "run-1", "published", later, post_id="p")
    book.release_lease(row.upload_key, "run-2")
    assert book.acquire_lease(row.upload_key, "run-3", later, 60)[1]


def test_quota_admission_defers_with_not_before(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    outcomes = [
        publish_once(
            book,
            _outbox(tmp_path),
            _request(tmp_path, n),
            quota=TWO_A_DAY,
            owner="run",
            now=lambda: NOW,
            settings=FAST,
        )
        for n in range(3)
    ]
    assert [o.state for o in outcomes] == ["published", "published", "deferred"]
    assert outcomes[2].not_before == dt.datetime(2026, 12, 2, tzinfo=dt.UTC)
    assert "uploads_per_day: 2 uploads per day" in outcomes[2].reason
    # Still inside the window: nothing happens; once it opens the upload goes.
    same = publish_once(
        book,
        _outbox(tmp_path),
        _request(tmp_path, 2),
        quota=TWO_A_DAY,
        owner="run",
        now=lambda: NOW + dt.timedelta(hours=1),
        settings=FAST,
    )
    assert same.state == "deferred" and same.attempts == 0
    later = publish_once(
        book,
        _outbox(tmp_path),
        _request(tmp_path, 2),
        quota=TWO_A_DAY,
        owner="run",
        now=lambda: NOW + dt.timedelta(days=1),
        settings=FAST,
    )
    assert later.state == "published" and later.newly_published
    assert len(outbox.entries(tmp_path / "outbox")) == 3


def test_concurrent_admissions_never_overshoot_the_quota(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    requests = [_request(tmp_path, n) for n in range(6)]
    results: list[str] = []

    def go(n: int) -> None:
        out = publish_once(
            Ledger(book.engine.url.render_as_string(False)),
            _outbox(tmp_path),
            requests[n],
            quota=TWO_A_DAY,
            owner=f"run-{n}",
            now=lambda: NOW,
            settings=FAST,
        )
        results.append(out.state)

    threads = [threading.Thread(target=go, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["deferred"] * 4 + ["published"] * 2
    assert len(outbox.entries(tmp_path / "outbox")) == 2


def test_a_dead_runs_lease_is_taken_over_at_once_a_live_ones_is_not(tmp_path: Path) -> None:
    """A run killed mid-upload (kill -9) never releases its lease; once the orchestrator knows
    the run ended, its re-execution resumes at once instead of waiting out the TTL."""
    book, request = _ledger(tmp_path), _request(tmp_path)
    row, _ = book.ensure_upload(
        request.content_hash, "outbox", "local", request.episode_id, now=NOW
    )
    assert book.acquire_lease(row.upload_key, "run:dead", NOW, 900)[1]
    patient = PublishSettings(lease_wait_s=0.05, lease_poll_s=0.01)
    go = {"quota": UNLIMITED, "owner": "run:next", "now": lambda: NOW, "settings": patient}
    blocked = publish_once(book, _outbox(tmp_path), request, **go, owner_gone=lambda o: False)
    assert (blocked.state, blocked.error) == ("pending", "transient")
    assert "run:dead" in blocked.reason
    gone = {"run:dead"}.__contains__
    done = publish_once(book, _outbox(tmp_path), request, **go, owner_gone=gone)
    assert done.state == "published" and done.newly_published
    assert len(outbox.entries(tmp_path / "outbox")) == 1


class SlowOutbox(OutboxClient):
    """The outbox, slow enough that racing runs overlap inside `publish`."""

    calls = 0

    def publish(self, request, session, sink):  # type: ignore[no-untyped-def]
        type(self).calls += 1
        time.sleep(0.3)
        return super().publish(request, session, sink)


def test_two_threads_racing_one_upload_post_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    Ledger(url)
    request = _request(tmp_path)
    results = []

    def go(owner: str) -> None:
        client = SlowOutbox(tmp_path / "outbox", load_truth(DEFAULT_SIM_TRUTH))
        results.append(
            publish_once(
                Ledger(url),
                client,
                request,
                quota=UNLIMITED,
                owner=owner,
                now=lambda: NOW,
                settings=FAST,
            )
        )

    SlowOutbox.calls = 0
    threads = [threading.Thread(target=go, args=(f"run-{i}",)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert SlowOutbox.calls == 1, "only the lease holder may call the platform"
    assert {r.post_id for r in results} == {outbox.post_id_for(request.content_hash)}
    assert sorted(r.newly_published for r in results) == [False, True]
    assert len(outbox.entries(tmp_path / "outbox")) == 1


def _race_in_process(url: str, tmp: str) -> str | None:
    tmp_path = Path(tmp)
    client = SlowOutbox(tmp_path / "outbox", load_truth(DEFAULT_SIM_TRUTH))
    out = publish_once(
        Ledger(url),
        client,
        _request(tmp_path),
        quota=UNLIMITED,
        owner=f"pid-{multiprocessing.current_process().pid}",
        now=lambda: dt.datetime.now(dt.UTC),
        settings=FAST,
    )
    return out.post_id


def test_three_processes_racing_one_upload_post_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    Ledger(url)
    _request(tmp_path)  # the video file, written once
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        post_ids = pool.starmap(_race_in_process, [(url, str(tmp_path))] * 3)
    assert len(set(post_ids)) == 1 and post_ids[0]
    assert len(outbox.entries(tmp_path / "outbox")) == 1
    rows = Ledger(url).upload_rows()
    assert len(rows) == 1 and rows[0].state == "published" and rows[0].attempts == 1


class Scripted:
    """A platform that answers from a script, to drive every branch of publish_once."""

    name = "scripted"

    def __init__(self, script: list[object]) -> None:
        self.script = script
        self.sessions: list[UploadSession | None] = []
        self.polls = 0

    def _next(self) -> PostResult:
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        assert isinstance(step, PostResult)
        return step

    def publish(self, request, session, sink):  # type: ignore[no-untyped-def]
        self.sessions.append(session)
        sink.save(UploadSession("https://upload/session/1", 4096, None))
        return self._next()

    def status(self, request, session):  # type: ignore[no-untyped-def]
        self.polls += 1
        return self._next()

    def metrics(self, post_id, published_at, as_of):  # type: ignore[no-untyped-def]
        raise AssertionError("publishing never asks for metrics")


def _go(book: Ledger, platform: Scripted, request: PostRequest, at: dt.datetime = NOW):
    return publish_once(
        book, platform, request, quota=UNLIMITED, owner="run", now=lambda: at, settings=FAST
    )


def test_transient_error_keeps_the_session_and_the_retry_resumes(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    request = _request(tmp_path)
    platform = Scripted(
        [
            TransientPlatformError("scripted", "503 backend error"),
            PostResult("v1", "https://x/v1", "published"),
        ]
    )
    first = _go(book, platform, request)
    assert (first.state, first.error, first.reason) == (
        "uploading",
        "transient",
        "503 backend error",
    )
    second = _go(book, platform, request)
    assert second.state == "published" and second.post_id == "v1"
    assert platform.sessions == [None, UploadSession("https://upload/session/1", 4096, None)]
    row = book.get_upload(upload_key(request.episode_id, "scripted", "local"))
    assert row is not None and row.attempts == 2 and row.last_error == "503 backend error"


def test_permanent_error_fails_with_the_platform_reason_and_stays_failed(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    request = _request(tmp_path)
    platform = Scripted([PermanentPlatformError("scripted", "video rejected: policy")])
    first = _go(book, platform, request)
    assert (first.state, first.error, first.reason) == (
        "failed",
        "permanent",
        "video rejected: policy",
    )
    again = _go(book, platform, request)  # nothing scripted: the platform is not called
    assert (again.state, again.reason) == ("failed", "video rejected: policy")
    key = upload_key(request.episode_id, "scripted", "local")
    book.acquire_lease(key, "operator", NOW, 60)
    book.reset_failed(key, "operator", NOW)
    book.release_lease(key, "operator")
    platform.script.append(PostResult("v2", "https://x/v2", "published"))
    assert _go(book, platform, request).post_id == "v2"


def test_platform_quota_error_defers_and_releases_the_local_count(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    request = _request(tmp_path)
    reset = NOW + dt.timedelta(hours=7)
    platform = Scripted([QuotaExceeded("scripted", "uploadLimitExceeded", reset)])
    out = _go(book, platform, request)
    assert (out.state, out.not_before, out.error) == ("deferred", reset, None)
    row = book.get_upload(upload_key(request.episode_id, "scripted", "local"))
    assert (
        row is not None and row.admitted_at is None and "uploadLimitExceeded" in (row.detail or "")
    )
    platform.script.append(PostResult("v3", "https://x/v3", "published"))
    assert _go(book, platform, request, reset).post_id == "v3"
    assert platform.sessions[-1] == UploadSession("https://upload/session/1", 4096, None)


def test_processing_is_polled_then_left_for_the_sensor(tmp_path: Path) -> None:
    book = _ledger(tmp_path)
    request = _request(tmp_path)
    processing = PostResult("c1", "", "processing", "IN_PROGRESS")
    platform = Scripted([processing, processing, PostResult("c1", "https://ig/c1", "published")])
    done = _go(book, platform, request)
    assert (done.state, done.post_id, platform.polls) == ("published", "c1", 2)
    stuck = Scripted([processing] * 500)
    other = _request(tmp_path, 1)
    ticks = iter(NOW + dt.timedelta(seconds=s) for s in range(0, 10_000))
    out = publish_once(
        book, stuck, other, quota=UNLIMITED, owner="run", now=lambda: next(ticks), settings=FAST
    )
    assert out.state == "processing" and out.not_before is not None and out.error is None
    polls = stuck.polls
    stuck.script[:] = [PostResult("c2", "https://ig/c2", "published")]
    resumed = _go(book, stuck, other, out.not_before)
    assert resumed.state == "published"
    # The next run polled the status; it did not publish a second time.
    assert stuck.polls == polls + 1 and len(stuck.sessions) == 1


def test_an_older_ledger_file_gains_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as con:
        con.execute(
            "CREATE TABLE uploads (upload_key VARCHAR(64) PRIMARY KEY, content_hash VARCHAR(64) "
            "NOT NULL, platform VARCHAR(40) NOT NULL, account VARCHAR(120) NOT NULL, episode_id "
            "VARCHAR(200) NOT NULL, state VARCHAR(20) NOT NULL, post_id VARCHAR(200), url "
            "VARCHAR(2000), detail TEXT, created_at DATETIME NOT NULL, "
            "updated_at DATETIME NOT NULL)"
        )
        key = upload_key("space_facts-2026-11-21", "outbox", "local")
        con.execute(
            "INSERT INTO uploads VALUES (?, ?, 'outbox', 'local', 'space_facts-2026-11-21', "
            "'published', 'outbox-1', 'file:///x', '', '2026-11-21 17:00:00', "
            "'2026-11-21 17:00:00')",
            (key, "a" * 64),
        )
    book = Ledger(f"sqlite:///{path}")
    row = book.get_upload(key)
    assert row is not None and (row.state, row.post_id, row.attempts, row.session) == (
        "published",
        "outbox-1",
        0,
        None,
    )
    Ledger(f"sqlite:///{path}")  # opening again changes nothing
    again, created = book.ensure_upload("b" * 64, "outbox", "local", "space_facts-2026-11-21")
    assert not created and again.post_id == "outbox-1"
