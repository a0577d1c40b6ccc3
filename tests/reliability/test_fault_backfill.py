"""Issue #8, drill 2: 30 % random provider and platform faults across a 10-episode backfill.

2 channels × 5 dates, every stage on a remote provider of the fake server and every episode
published to YouTube (the fake) and the outbox. The fake faults 30 % of all requests — the
providers' and YouTube's alike, OAuth token refreshes and upload chunks included — with 429,
500, timeouts, dropped connections and malformed bodies. Runs that still fail are re-executed
from failure, at most twice (what run retries do in production), with the faults still on.
Two run workers at once, five episodes each.

Proves: all 10 episodes complete; one ledger cost row per billable success of the fake
(a retried or re-executed call never books twice), the budget settled to exactly those
prices with every failed attempt refunded and no hold left open; one post per episode per
platform, no duplicate bytes re-sent.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import drill_support as drill
import pytest
import yaml

from reelforge.constants import DEFAULT_PLATFORMS
from reelforge.fakes.process import running_fake_server, set_faults, state, stats
from reelforge.lib.budget import to_micros

pytestmark = pytest.mark.slow
DATES = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]
CHANNELS = ["space_facts", "history_bites"]
# The story stays local: a remote one is at least 80 words (~35 s of video) whatever the
# target, and rendering that ten times would cost more than the faults prove.
CHAINS = {"story": ["local"], "speech": ["openai", "elevenlabs"],
          "images": ["openai", "stability"], "music": ["elevenlabs"]}  # fmt: skip
KINDS = ["429", "500", "timeout", "drop", "malformed"]
ATTEMPTS = 3
WORKERS = 2


def _roomy_quotas(tmp: Path) -> Path:
    """config/platforms.yaml with room for the ten uploads in one day: the shipped YouTube
    quota (10,000 units: four uploads) would defer six of them to tomorrow, by design."""
    data = yaml.safe_load(DEFAULT_PLATFORMS.read_text())
    for limit in data["quotas"]["youtube"]["limits"]:
        limit["max"] *= 10
    path = tmp / "platforms.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with running_fake_server() as url:
        yield url


def test_thirty_percent_faults_ten_episode_backfill(fake: str, tmp_path: Path) -> None:
    started = time.monotonic()
    config = drill.write_config(
        tmp_path / "channels.yaml", chains=CHAINS, platforms=["outbox", "youtube"],
        start_date=DATES[0],
    )  # fmt: skip
    home = drill.prepare_home(tmp_path / "home")
    account = f"yt-faults-{uuid.uuid4().hex[:8]}"
    token = drill.youtube_token(tmp_path / "yt.json", account)
    env = drill.drill_env(home, config, fake, youtube_token_file=token,
                          REELFORGE_PLATFORMS=str(_roomy_quotas(tmp_path)))  # fmt: skip
    set_faults(fake, rate=0.3, seed=8, kinds=KINDS, retry_after=0, timeout_seconds=0.5)
    slots = [[d, c] for d in DATES for c in CHANNELS]
    attempts: list[list[dict]] = []
    with drill.warm_runner(env, tmp_path / "runner.log") as runner:
        pending = [{"partition": s} for s in slots]
        for attempt in range(ATTEMPTS):
            # Two run workers at once (one per core), as the run queue would start them.
            reports = [tmp_path / f"attempt{attempt}-{k}.jsonl" for k in range(WORKERS)]
            runner.start([{"runs": pending[k::WORKERS], "report": str(reports[k])}
                          for k in range(WORKERS) if pending[k::WORKERS]])  # fmt: skip
            assert set(runner.wait(timeout=900).values()) == {0}, runner.tail()
            results = [r for report in reports for r in drill.read_report(report)]
            attempts.append(results)
            pending = [{"reexecute": r["run_id"]} for r in results if not r["success"]]
            if not pending:
                break
        cpu_s = runner.finish()
    assert not pending, [r["errors"] for r in attempts[-1] if not r["success"]]
    counts = stats(fake)
    set_faults(fake, rate=0.0)

    faults = {k: v for k, v in counts.items() if ".fault." in k}
    provider_faults = sum(v for k, v in faults.items() if not k.startswith("youtube."))
    platform_faults = sum(v for k, v in faults.items() if k.startswith("youtube."))
    assert provider_faults >= 30 and platform_faults >= 10, faults  # they really happened

    # Costs once: a ledger row per billable success; the budget's books say the same.
    calls = drill.remote_calls(home)
    assert len(calls) == counts["billable.ok"]
    assert len({c[0] for c in calls}) == len(calls)
    assert {c[1] for c in calls} == {f"{c}-{d}" for d, c in slots}
    budget = drill.budget_summary(home)
    assert budget["open"] == 0
    settled = sum(budget["settled_micros"].values())
    assert settled == sum(to_micros(c[3]) for c in calls) > 0
    assert budget["holds"] == len(calls) + budget["refunds"]  # every other hold refunded

    # One post per episode and platform.
    rows = drill.upload_rows(home)
    assert sorted((e, p, s) for e, p, s, _ in rows) == sorted(
        (f"{c}-{d}", p, "published") for d, c in slots for p in ("outbox", "youtube")
    )
    yt = state(fake, "youtube")
    assert len(yt["accounts"][account]["posts"]) == 10
    assert yt["accounts"][account]["duplicates"] == 0
    reexecuted = sum(len(a) for a in attempts[1:])
    retried = drill.step_retries(home / "dagster_home")
    print(f"\nfault drill: {time.monotonic() - started:.1f}s wall, {cpu_s:.0f}s CPU in runs, "
          f"{sum(faults.values())} faults "
          f"({provider_faults} provider, {platform_faults} platform: {faults}), "
          f"{retried} step retries, {reexecuted} runs re-executed, "
          f"{len(calls)} paid calls booked once, {settled / 1e6:.4f} USD settled, "
          f"{budget['refunds']} holds refunded")  # fmt: skip
