"""The same upload ledger on PostgreSQL: one code path, proved on a real server.

A throwaway cluster (initdb) on 127.0.0.1 and a free port, stopped at the end. Skipped when
the PostgreSQL server binaries are not installed.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from reelforge.lib.ledger import Ledger, TransitionError, upload_key
from reelforge.lib.platforms.base import UploadSession
from reelforge.lib.quotas import Limit, Quota

BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)), None)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(BIN is None or not (BIN / "initdb").exists(), reason="no PostgreSQL"),
]
NOW = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    assert BIN is not None
    data = Path(tempfile.mkdtemp(prefix="reelforge-pg-"))
    if os.geteuid() == 0:
        shutil.chown(data, "postgres", "postgres")
    port = _free_port()
    subprocess.run(_as_postgres([str(BIN / "initdb"), "-D", str(data), "--auth=trust",
                                 "-U", "postgres"]), check=True, capture_output=True)  # fmt: skip
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data}"
    subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-o", options, "-w",
                                 "-l", str(data / "log"), "start"]), check=True,
                   capture_output=True)  # fmt: skip
    try:
        yield f"postgresql+psycopg2://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-m", "fast",
                                     "stop"]), check=False, capture_output=True)  # fmt: skip
        shutil.rmtree(data, ignore_errors=True)


@pytest.fixture
def book(pg_url: str) -> Ledger:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        for table in ("engagement_snapshots", "quota_locks", "uploads", "provider_calls"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
    engine.dispose()
    return Ledger(pg_url)


def test_state_machine_and_lease_on_postgres(book: Ledger) -> None:
    row, created = book.ensure_upload("a" * 64, "youtube", "main", "ep-1", now=NOW)
    assert created and row.state == "pending"
    assert book.acquire_lease(row.upload_key, "run-1", NOW, 60)[1]
    assert not book.acquire_lease(row.upload_key, "run-2", NOW, 60)[1]
    with pytest.raises(TransitionError):
        book.transition(row.upload_key, "run-1", "published", NOW)
    quota = Quota(limits=[Limit(name="per_day", max=5, window="day")])
    assert book.admit_upload(row.upload_key, "run-1", quota, NOW).admitted
    book.save_session(row.upload_key, "run-1", UploadSession("https://s", 1 << 20, None), NOW, 60)
    book.transition(row.upload_key, "run-1", "published", NOW, post_id="vid", published_at=NOW)
    done = book.get_upload(upload_key("ep-1", "youtube", "main"))
    assert done is not None and (done.state, done.post_id, done.committed_bytes) == (
        "published", "vid", 1 << 20,
    )  # fmt: skip
    assert done.published_at == NOW and done.lease_owner is None


def test_concurrent_admissions_respect_the_quota_on_postgres(book: Ledger, pg_url: str) -> None:
    quota = Quota(limits=[Limit(name="per_day", max=3, window="day")])
    keys = [book.ensure_upload("a" * 64, "tiktok", "c", f"ep-{n}", now=NOW)[0].upload_key
            for n in range(8)]  # fmt: skip
    results: list[bool] = []

    def go(n: int) -> None:
        ledger = Ledger(pg_url)
        ledger.acquire_lease(keys[n], f"run-{n}", NOW, 60)
        results.append(ledger.admit_upload(keys[n], f"run-{n}", quota, NOW).admitted)

    threads = [threading.Thread(target=go, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True] * 3
    deferred = book.upload_rows(states=["deferred"])
    assert len(deferred) == 5
    assert {r.not_before for r in deferred} == {dt.datetime(2026, 12, 2, tzinfo=dt.UTC)}


def test_an_older_postgres_ledger_gains_the_new_columns(pg_url: str) -> None:
    engine = sa.create_engine(pg_url)
    with engine.begin() as conn:
        for table in ("engagement_snapshots", "quota_locks", "uploads"):
            conn.execute(sa.text(f"DROP TABLE IF EXISTS {table}"))
        conn.execute(sa.text(
            "CREATE TABLE uploads (upload_key VARCHAR(64) PRIMARY KEY, content_hash VARCHAR(64) "
            "NOT NULL, platform VARCHAR(40) NOT NULL, account VARCHAR(120) NOT NULL, episode_id "
            "VARCHAR(200) NOT NULL, state VARCHAR(20) NOT NULL, post_id VARCHAR(200), url "
            "VARCHAR(2000), detail TEXT, created_at TIMESTAMPTZ NOT NULL, "
            "updated_at TIMESTAMPTZ NOT NULL)"
        ))  # fmt: skip
        conn.execute(
            sa.text("INSERT INTO uploads VALUES (:k, :h, 'outbox', 'local', 'ep', 'published', "
                    "'p1', 'u', '', now(), now())"),
            {"k": upload_key("ep", "outbox", "local"), "h": "a" * 64},
        )  # fmt: skip
    engine.dispose()
    book = Ledger(pg_url)
    row = book.get_upload(upload_key("ep", "outbox", "local"))
    assert row is not None and (row.state, row.post_id, row.attempts) == ("published", "p1", 0)
