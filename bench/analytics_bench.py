"""Analytics benchmark: `dbt build` and each dashboard page's queries on a 1 M-snapshot warehouse.

Generates a warehouse inside DuckDB (`reelforge.lib.warehouse_synth`: 1 M engagement
snapshots, 125 k episodes, 750 k provider calls, 250 k uploads by default) plus policy tables
of a realistic size, then times:

- every page's queries before dbt has run (the dashboard's raw-table fallback);
- `dbt build` (models and all their tests) as a subprocess, wall / CPU / peak RSS;
- every page's queries on the marts: the same `analytics_queries` functions the Streamlit pages
  call (uncached, each page's calls in sequence), median of `--repeat` runs.

Prints a table of seconds against the targets (dbt build <= 60 s, each page <= 2 s) as ratios
(measured / target: <= 1 meets it) and one JSON line. Not a test: timings depend on the machine
and its other load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
from measure import log, measured

from reelforge.constants import DBT_PROJECT_DIR
from reelforge.lib import analytics_queries as q
from reelforge.lib.overrides import OverrideStore
from reelforge.lib.warehouse_synth import generate

TARGETS = {"dbt_build_s": 60.0, "page_s": 2.0}


def add_policy_tables(path: Path, channels: int = 20, days: int = 7, slots: int = 24) -> None:
    """Policy output the size a policy run over every channel for a week would write."""
    now = dt.datetime.now(dt.UTC)
    with duckdb.connect(str(path)) as con:
        con.execute(
            """create or replace table policy_plans as
                select 'ch' || lpad(cast(c as varchar), 2, '0') as channel,
                       current_date + cast(d as integer) as date, cast(s as integer) as slot,
                       'space' as genre, 'countdown' as hook_style, 'en-us' as voice,
                       170 as speaking_rate_wpm, 'epic' as music_mood, 40 as target_seconds,
                       'pop' as caption_style, 18 as posting_hour, 'policy-1' as experiment_id,
                       'arm-' || (c * s % 17) as arm_id, 1000.0 + s as predicted_value,
                       100.0 as predicted_sd, s % 5 = 0 as explore, '' as overrides_applied,
                       ?::timestamptz as created_at
                from range(?) a(c), range(?) b(d), range(?) e(s)""",
            [now, channels, days, slots],
        )
        con.execute(
            """create or replace table policy_importance as
               select unnest(['genre', 'hook_style', 'posting_hour']) as parameter,
                      unnest([0.4, 0.3, 0.1]) as importance, ?::timestamptz as created_at""",
            [now],
        )


def page_queries(path: Path, ledger_url: str) -> dict[str, Callable[[], Any]]:
    """What each dashboard page asks for on a first visit (see dashboards/views/*.py)."""

    def overview() -> None:
        names = q.tables(path)
        q.overview(path, names)

    def episodes() -> None:
        names = q.tables(path)
        q.channels(path)
        q.episodes_page(path, names, page=1, page_size=25)
        q.episodes_page(path, names, search="Episode 12", status="published", page=3)

    def experiments() -> None:
        names = q.tables(path)
        q.experiment_results(path, names)
        q.arm_performance(path, names)

    def policy() -> None:
        names = q.tables(path)
        q.policy_plans(path, names)
        q.policy_importance(path, names)
        store = OverrideStore(ledger_url)
        store.active()
        store.audit(100)

    def budget() -> None:
        names = q.tables(path)
        q.daily_spend(path, names)
        day = q.latest_day(path)
        if day is None:
            raise RuntimeError("the generated warehouse has no spend days")
        q.burn_down(path, day)
        q.platform_states(path, names)

    return {
        "overview": overview,
        "episodes": episodes,
        "experiments": experiments,
        "policy": policy,
        "budget": budget,
    }


def time_pages(path: Path, ledger_url: str, repeat: int) -> dict[str, float]:
    out = {}
    for name, run in page_queries(path, ledger_url).items():
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        out[name] = statistics.median(times)
        log(f"page {name}: {out[name]:.3f} s (median of {repeat})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshots", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (median)")
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it")
    args = parser.parse_args()

    work = args.keep or Path(tempfile.mkdtemp(prefix="reelforge-analytics-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    path = work / "warehouse.duckdb"
    ledger_url = f"sqlite:///{work / 'ledger.sqlite'}"
    try:
        started = time.perf_counter()
        counts = generate(path, args.snapshots)
        add_policy_tables(path)
        generated_s = time.perf_counter() - started
        log(f"generated {counts} in {generated_s:.1f} s")
        store = OverrideStore(ledger_url)
        store.add("ch00", "genre", "exclude", ["motivation"], "bench", "bench")

        raw = time_pages(path, ledger_url, args.repeat)
        dbt = measured(
            "dbt_build",
            [str(Path(sys.executable).parent / "dbt"), "build", "--project-dir",
             str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR),
             "--target-path", str(work / "dbt_target"),
             "--vars", json.dumps({"warehouse_path": str(path)})],
            work,
        )  # fmt: skip
        marts = time_pages(path, ledger_url, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    rows = [("dbt build (models + tests)", dbt["wall_s"], TARGETS["dbt_build_s"])]
    rows += [(f"page {n} (marts)", s, TARGETS["page_s"]) for n, s in marts.items()]
    rows += [(f"page {n} (raw fallback)", s, TARGETS["page_s"]) for n, s in raw.items()]
    print(f"\nwarehouse: {counts} (generated in {generated_s:.1f} s)")
    print(f"dbt build: {dbt['cpu_s']:.1f} s CPU, peak RSS {dbt['peak_rss_mb']:.0f} MB\n")
    print(f"| {'measure':<31} | {'seconds':>8} | {'target':>6} | {'ratio':>5} |")
    print(f"|{'-' * 33}|{'-' * 10}|{'-' * 8}|{'-' * 7}|")
    for label, seconds, target in rows:
        print(f"| {label:<31} | {seconds:>8.2f} | {target:>6.0f} | {seconds / target:>5.2f} |")
    met = all(s <= t for _, s, t in rows[: 1 + len(marts)])
    print(f"\ntargets met (dbt build and pages on marts): {'yes' if met else 'no'}")
    print(
        json.dumps(
            {
                "counts": counts,
                "dbt_build": dbt,
                "pages_marts_s": marts,
                "pages_raw_s": raw,
                "targets": TARGETS,
                "met": met,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
