"""The synthetic warehouse: sizes as asked, unique keys, the raw schema of episode_warehouse."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from reelforge.lib import analytics_queries as q
from reelforge.lib import warehouse
from reelforge.lib.warehouse_synth import generate


def test_generates_the_requested_snapshots_with_unique_keys(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    counts = generate(path, 8000, channel_names=("a_one", "b_two", "c_three"))
    assert counts == {"episodes": 1000, "provider_calls": 6000, "uploads": 2000,
                      "engagement": 8000}  # fmt: skip
    with duckdb.connect(str(path), read_only=True) as con:
        columns = {r[0] for r in con.execute("describe episodes").fetchall()}
        assert columns == set(warehouse.SCHEMA["episodes"][0])
        dupes = con.execute(
            "select count(*) - count(distinct (episode_id, platform, age_hours)) from engagement"
        ).fetchone()[0]
        assert dupes == 0
        assert {r[0] for r in con.execute("select distinct channel from episodes").fetchall()} == {
            "a_one", "b_two", "c_three"}  # fmt: skip
    names = q.tables(path)
    assert q.has_episodes(names) and not q.uses_marts(names)
    rows, total = q.episodes_page(path, names, search="Episode 99", page=1, page_size=10)
    assert total == 11 and len(rows) == 10  # Episode 99 and 990-999


def test_missing_warehouse_has_no_tables(tmp_path: Path) -> None:
    assert q.tables(tmp_path / "none.duckdb") == frozenset()


def test_a_writer_holding_the_lock_gives_a_clear_busy_error(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    generate(path, 80)
    writer = subprocess.Popen(
        [sys.executable, "-c",
         "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True);"
         " time.sleep(30)", str(path)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        with pytest.raises(q.WarehouseBusy, match="being written"):
            q.connect(path, attempts=2)
    finally:
        writer.kill()
        writer.wait()
    assert q.has_episodes(q.tables(path))
