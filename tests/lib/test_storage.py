from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import threading
from pathlib import Path

import pytest

from reelforge.lib import outbox
from reelforge.lib.ledger import Ledger, ProviderCall
from reelforge.lib.media import MediaKeyError, MediaStore
from reelforge.lib.quotas import UNLIMITED
from reelforge.lib.warehouse import query, write_episode


def test_media_store_is_content_addressed_and_rejects_traversal(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    key = store.put_bytes(b"hello", ".txt")
    digest = hashlib.sha256(b"hello").hexdigest()
    assert key == f"sha256/{digest[:2]}/{digest}.txt"
    assert store.put_bytes(b"hello", ".txt") == key
    assert store.path(key).read_bytes() == b"hello"
    assert not list(store.path(key).parent.glob(".*tmp*"))
    for bad in ("../../etc/passwd", "sha256/ab/../../x", "/etc/passwd", "sha256/zz/" + "0" * 64):
        with pytest.raises(MediaKeyError):
            store.path(bad)
    with pytest.raises(MediaKeyError):
        store.put_bytes(b"x", "./../x")


def _book(url: str, n: int) -> int:
    ledger = Ledger(url)
    booked = 0
    for i in range(n):
        call = ProviderCall(
            request_hash=f"{i:064x}", episode_id="e", stage="story", provider="p",
            model="m", unit="words", units=10, unit_price_usd=0.001,
        )  # fmt: skip
        booked += ledger.record_call(call)
    return booked


def test_a_killed_writer_leaves_its_temporary_in_scratch_never_among_blobs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGKILL runs no cleanup: whatever a writer had in flight stays where it was written. The
    store writes it in its scratch folder, so `sha256/` only ever holds complete blobs."""
    from reelforge.lib import atomic

    store = MediaStore(tmp_path / "media")
    in_flight: list[Path] = []

    def killed(src: str, dst: str) -> None:
        in_flight.append(Path(src))
        raise KeyboardInterrupt  # the process dies before the rename

    monkeypatch.setattr(atomic.os, "replace", killed)
    with pytest.raises(KeyboardInterrupt):
        store.put_bytes(b"half a video", ".mp4")
    [tmp] = in_flight
    assert tmp.parent == store.scratch
    assert not [p for p in (tmp_path / "media" / "sha256").rglob("*") if p.is_file()]


def test_many_workers_opening_a_fresh_ledger_at_once_all_succeed(tmp_path: Path) -> None:
    """A backfill's first runs open the new ledger together: each checks, sees no table, and
    creates it; the losers of that race must not fail their step."""
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    start, errors = threading.Barrier(8), []

    def open_it() -> None:
        start.wait()
        try:
            Ledger(url)
        except Exception as exc:  # collected for the assertion
            errors.append(repr(exc))

    threads = [threading.Thread(target=open_it) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_ledger_books_each_request_once_across_processes(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ledger.sqlite'}"
    Ledger(url)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_book, [(url, 25)] * 4)
    assert sum(results) == 25
    calls = Ledger(url).calls_for("e")
    assert len(calls) == 25
    assert sum(c["cost_usd"] for c in calls) == pytest.approx(25 * 10 * 0.001)


def _publish(ledger: Ledger, key: str, post_id: str) -> None:
    now = dt.datetime.now(dt.UTC)
    ledger.acquire_lease(key, "test", now, 60)
    ledger.admit_upload(key, "test", UNLIMITED, now)
    ledger.transition(key, "test", "published", now, post_id=post_id, url="file:///x")


def test_upload_claim_is_idempotent(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.sqlite'}")
    first, claimed = ledger.claim_upload("a" * 64, "outbox", "local", "ep")
    assert claimed and first.state == "pending"
    _publish(ledger, first.upload_key, "post-1")
    again, claimed_again = ledger.claim_upload("a" * 64, "outbox", "local", "ep")
    assert not claimed_again
    assert (again.state, again.post_id) == ("published", "post-1")


def test_outbox_publishes_once(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    video.write_bytes(b"not really a video")
    digest = hashlib.sha256(video.read_bytes()).hexdigest()
    first = outbox.publish(tmp_path / "out", "outbox", "space_facts", video, digest, {"title": "t"})
    second = outbox.publish(
        tmp_path / "out", "outbox", "space_facts", video, digest, {"title": "t"}
    )
    assert first.created and not second.created
    assert first.post_id == second.post_id
    assert outbox.entries(tmp_path / "out") == [first.path]
    assert not list((tmp_path / "out" / "outbox" / "space_facts").glob(".staging-*"))
    with pytest.raises(ValueError, match="folder name"):
        outbox.publish(tmp_path / "out", "outbox", "../evil", video, digest, {})


def test_warehouse_replaces_episode_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    row = {"episode_id": "ep1", "platform": "outbox", "post_id": "p", "age_hours": 1, "views": 5}
    write_episode(db, "ep1", {"engagement": [row, {**row, "age_hours": 24, "views": 9}]})
    write_episode(db, "ep1", {"engagement": [row, {**row, "age_hours": 24, "views": 11}]})
    write_episode(db, "ep2", {"engagement": [{**row, "episode_id": "ep2"}]})
    rows = query(db, "select episode_id, age_hours, views from engagement order by 1, 2")
    assert rows == [("ep1", 1, 5), ("ep1", 24, 11), ("ep2", 1, 5)]


def test_a_re_rendered_episode_is_not_posted_again(tmp_path: Path) -> None:
    ledger = Ledger(f"sqlite:///{tmp_path / 'l.sqlite'}")
    first, _ = ledger.claim_upload("a" * 64, "outbox", "local", "ep")
    _publish(ledger, first.upload_key, "post-1")
    again, claimed = ledger.claim_upload("b" * 64, "outbox", "local", "ep")
    assert not claimed
    assert (again.post_id, again.content_hash) == ("post-1", "a" * 64)
