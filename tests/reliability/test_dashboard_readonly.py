"""The dashboard's DuckDB connection is read-only: a write through it fails, and rendering
every page opens the warehouse only with read_only=True."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from reelforge.lib import analytics_queries as q
from reelforge.lib.warehouse_synth import generate

APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"
PAGES = ["views/episodes.py", "views/experiments.py", "views/policy.py", "views/budget.py"]


@pytest.fixture()
def warehouse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    path = home / "warehouse.duckdb"
    generate(path, 2_000, channel_names=("space_facts", "history_bites"), start_date="2026-10-01")
    monkeypatch.setenv("REELFORGE_HOME", str(home))
    return path


@pytest.mark.parametrize(
    "statement",
    [
        "create table evil (x integer)",
        "insert into episodes (episode_id) values ('x')",
        "delete from episodes",
        "drop table episodes",
        "update episodes set title = 'pwned'",
        "create or replace view episodes_v as select 1",
    ],
)
def test_a_write_through_the_dashboard_connection_fails(warehouse: Path, statement: str) -> None:
    before = warehouse.stat().st_mtime_ns
    with q.connect(warehouse) as con, pytest.raises(duckdb.Error, match="read-only"):
        con.execute(statement)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from episodes").fetchone()[0] > 0
        rows = con.execute("select table_name from information_schema.tables").fetchall()
        tables = {r[0] for r in rows}
    assert "evil" not in tables
    assert warehouse.stat().st_mtime_ns == before


def test_every_page_opens_the_warehouse_read_only(
    warehouse: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[dict[str, Any]] = []
    real = duckdb.connect

    def spy(database: Any = ":memory:", *args: Any, **kwargs: Any) -> duckdb.DuckDBPyConnection:
        opened.append({"database": str(database), "args": args, **kwargs})
        return real(database, *args, **kwargs)

    monkeypatch.setattr(duckdb, "connect", spy)
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.message for e in at.exception])
    to_warehouse = [o for o in opened if o["database"] == str(warehouse)]
    assert len(to_warehouse) >= len(PAGES)  # the pages really queried it
    assert all(o.get("read_only") is True and not o["args"] for o in to_warehouse), to_warehouse
