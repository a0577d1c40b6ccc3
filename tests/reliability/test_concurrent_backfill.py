"""Issue #8, drill 3: a 20-partition backfill, several runs at once, multiprocess executor, pools.

2 channels × 10 dates. Two run workers at once, in step on the same channel (so both
channels' budgets and the DuckDB writer are contended; the queue's limit of three episodes in
flight per channel is kept by construction, as the daemon's queue would keep it), each run ten
partitions one after the other against one SQLite Dagster instance whose pools come from
config/concurrency.yaml (`duckdb_writer: 1`, the provider pools), every step in its own process
(REELFORGE_EXECUTOR=multiprocess, forkserver). Each run materializes the budget-booking story
stage (a paid remote provider on the fake), uploads (outbox and YouTube on the fake), engagement
and the DuckDB writer; the upstream records and a tiny video are seeded, since rendering twenty
videos would prove nothing more here and cost minutes. The channels' daily budget pays for
about four stories each, so the twenty episodes would overspend it if holds were not honoured.

Proves: no upload twice (ledger rows, outbox entries and YouTube posts, one each per
published episode), spend ≤ each channel's cap with the over-cap episodes failing on the budget
and on nothing else, and DuckDB writers never collide (no lock or I/O error in any event log;
the warehouse holds every successful episode's rows).
"""

from __future__ import annotations

import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import drill_support as drill
import duckdb
import publishing_support as support
import pytest

from reelforge.constants import DEFAULT_CONCURRENCY
from reelforge.fakes.process import running_fake_server, state
from reelforge.lib.budget import to_micros
from reelforge.lib.concurrency import load_concurrency
from reelforge.ops.instance import apply_pools, instance_yaml

pytestmark = pytest.mark.slow
DATES = [f"2026-11-{d:02d}" for d in range(11, 21)]
CHANNELS = ["space_facts", "history_bites"]
SELECTION = ["story", "uploads", "engagement", "episode_warehouse"]
CAP_USD = 0.0015  # a story on the fake's openai costs ~$0.00037: about four a channel and day
WORKERS = 2  # each multiprocess run worker starts its own forkserver: ~11 s of CPU


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with running_fake_server() as url:
        yield url


def _seed(home: Path) -> None:
    """Upstream records of every slot, as a render run leaves them (publishing_support)."""
    settings = support.home(home)
    for i, (date, channel) in enumerate((d, c) for c in CHANNELS for d in DATES):
        support.seed_episode(settings, date, channel, i)


def test_twenty_partitions_two_runs_at_once_multiprocess_with_pools(
    fake: str, tmp_path: Path
) -> None:
    started = time.monotonic()
    config = drill.write_config(
        tmp_path / "channels.yaml", chains={"story": ["openai"]}, platforms=["outbox", "youtube"],
        start_date=DATES[0], channel_daily_usd=CAP_USD,
    )  # fmt: skip
    concurrency = load_concurrency(DEFAULT_CONCURRENCY)
    home = drill.prepare_home(tmp_path / "home", instance_yaml(concurrency))
    pools = apply_pools(home / "dagster_home", concurrency)
    assert pools["duckdb_writer"] == 1
    _seed(home)
    account = f"yt-conc-{uuid.uuid4().hex[:8]}"
    token = drill.youtube_token(tmp_path / "yt.json", account)
    env = drill.drill_env(home, config, fake, youtube_token_file=token,
                          REELFORGE_EXECUTOR="multiprocess")  # fmt: skip
    # Worker k takes every other date, both channels of a date in turn: the two workers run
    # the same channel at the same time.
    workers = [
        {"runs": [{"partition": [d, c], "selection": SELECTION}
                  for d in DATES[k::WORKERS] for c in CHANNELS],
         "report": str(tmp_path / f"worker{k}.jsonl")}
        for k in range(WORKERS)
    ]  # fmt: skip
    with drill.warm_runner(env, tmp_path / "runner.log") as runner:
        runner.start(workers)
        assert set(runner.wait(timeout=900).values()) == {0}, runner.tail()
        cpu_s = runner.finish()
    results = [r for k in range(WORKERS) for r in drill.read_report(tmp_path / f"worker{k}.jsonl")]
    assert len(results) == 20

    # Over-cap episodes fail on the budget, before the paid call, and on nothing else.
    done = {f"{r['partition'][1]}-{r['partition'][0]}" for r in results if r["success"]}
    failed = [r for r in results if not r["success"]]
    # Each channel gets one or two episodes under its cap: a hold reserves the story's
    # *estimate* ($0.0010) until it settles at ~$0.00037, so two stories of one channel in
    # flight at once cannot both be admitted. Which of the two happens is timing.
    published = Counter(e.rsplit("-", 3)[0] for e in done)
    assert failed and set(published) == set(CHANNELS), published
    assert all(1 <= n <= 2 for n in published.values()), published
    for r in failed:
        assert len(r["errors"]) == 1 and r["errors"][0].startswith("story:"), r["errors"]
        assert "story via openai not called" in r["errors"][0], r["errors"]
    per_channel = Counter(r["partition"][1] for r in failed)
    assert set(per_channel) == set(CHANNELS)  # both channels reached their cap

    # No overspend: per channel, settled spend within the cap; nothing left reserved.
    budget = drill.budget_summary(home)
    assert budget["open"] == 0
    assert all(v <= to_micros(CAP_USD) for v in budget["settled_micros"].values())
    assert sum(budget["settled_micros"].values()) == sum(
        to_micros(c[3]) for c in drill.remote_calls(home)
    )

    # No duplicate upload: exactly the successful episodes, once per platform, everywhere.
    rows = drill.upload_rows(home)
    assert sorted((e, p, s) for e, p, s, _ in rows) == sorted(
        (e, p, "published") for e in done for p in ("outbox", "youtube")
    )
    assert len(list((home / "outbox").glob("*/*/*/metadata.json"))) == len(done)
    yt = state(fake, "youtube")["accounts"][account]
    assert len(yt["posts"]) == len(done) and yt["duplicates"] == 0

    # DuckDB: no writer ever collided; every successful episode's rows are there.
    log = drill.event_log_text(home / "dagster_home")
    for sign in ("Could not set lock", "IO Error", "database is locked", "Conflicting lock"):
        assert sign not in log, sign
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as db:
        episodes = {r[0] for r in db.execute("select episode_id from episodes").fetchall()}
        uploads = db.execute("select count(*) from uploads").fetchone()
    assert episodes == done
    assert uploads == (2 * len(done),)
    with dg.DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        runs = instance.get_runs()
        assert len(runs) == 20
        assert {r.tags.get("dagster/partition/channel") for r in runs} == set(CHANNELS)
        info = instance.event_log_storage.get_concurrency_info("duckdb_writer")
        assert info.slot_count == 1 and not info.claimed_slots  # all released
    settled = sum(budget["settled_micros"].values()) / 1e6
    print(f"\nconcurrency drill: {time.monotonic() - started:.1f}s wall, {cpu_s:.0f}s CPU in runs, "
          f"{len(done)} published, "
          f"{len(failed)} stopped by the budget {dict(per_channel)}, {settled:.6f} USD settled "
          f"(cap {CAP_USD}/channel), {budget['holds']} holds")  # fmt: skip
