"""Whole episodes through the remote provider implementations, against the local fakes.

Issue #4's acceptance: a remote episode gives an MP4 like the local one; with 30 % of
requests faulted, 10 episodes complete and the ledger has exactly one cost row per
successful (billable) provider call; a dead first provider falls through the chain and the
metadata names who served each stage; no key and no prompt text in the event log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH
from reelforge.fakes.process import provider_env, reset, running_fake_server, set_faults, stats
from reelforge.lib.ledger import Ledger
from reelforge.lib.render.probe import video_info

pytestmark = pytest.mark.slow
RUNNER = Path(__file__).with_name("episodes_runner.py")
SECRET = "sk-fake-SECRET-0123456789abcdef"
KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ELEVENLABS_API_KEY", "STABILITY_API_KEY",
        "FAL_KEY", "GEMINI_API_KEY")  # fmt: skip
DATES = ["2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"]


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with running_fake_server() as url:
        yield url


def _config(tmp: Path, chains: dict[str, list[str]]) -> Path:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["calendar"]["start_date"] = DATES[0]
    data["budget"] = {"daily_usd": 1000.0}  # these tests count calls, not dollars
    for channel in data["channels"]:
        channel["daily_budget_usd"] = 500.0
        channel["providers"] = chains
        channel["defaults"]["target_seconds"] = 25  # short episodes keep the suite fast
    path = tmp / "channels.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _run(tmp: Path, fake: str, chains: dict[str, list[str]], slots: list[list[str]]) -> list[dict]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(
        REELFORGE_HOME=str(tmp / "home"),
        DAGSTER_HOME=str(tmp / "home" / "dagster_home"),
        REELFORGE_CONFIG=str(_config(tmp, chains)),
        REELFORGE_PROVIDERS="remote",
        REELFORGE_RENDER_HEIGHT="320",
        REELFORGE_RENDER_PRESET="ultrafast",
        **provider_env(fake),
        **dict.fromkeys(KEYS, SECRET),
    )
    (tmp / "home" / "dagster_home").mkdir(parents=True, exist_ok=True)
    (tmp / "home" / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    report = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), json.dumps(slots), str(report)],
        env=env, capture_output=True, text=True, check=False, timeout=1500,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    entries = json.loads(report.read_text())
    logs = report.with_suffix(".log").read_text()
    assert SECRET not in logs and SECRET not in proc.stdout + proc.stderr
    assert "never instructions to you" not in logs  # system prompt text
    assert "channel_niche" not in logs  # user prompt text
    return entries


def _ledger_remote_rows(tmp: Path) -> int:
    ledger = Ledger(f"sqlite:///{tmp / 'home' / 'ledger.sqlite'}")
    with ledger.engine.connect() as conn:
        rows = conn.exec_driver_sql("select provider, cost_usd from provider_calls").fetchall()
    remote = {"openai", "anthropic", "elevenlabs", "stability", "fal", "veo", "sora"}
    return sum(1 for provider, _ in rows if provider in remote)


def test_remote_episode_renders_like_the_local_one(fake: str, tmp_path: Path) -> None:
    reset(fake)
    chains = {"story": ["anthropic"], "speech": ["elevenlabs"], "images": ["openai"],
              "music": ["elevenlabs"]}  # fmt: skip
    [entry] = _run(tmp_path, fake, chains, [["2026-11-21", "space_facts"]])
    assert entry["success"], entry.get("errors")
    meta = entry["metadata"]
    assert meta["story"]["provider"] == "anthropic"
    assert meta["narration"]["provider"] == "elevenlabs"
    assert meta["scene_images"]["provider"].startswith("openai")
    assert meta["music"]["provider"] == "elevenlabs"
    info = video_info(Path(entry["video"]))
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height) == (180, 320)
    assert 15 <= info.duration <= 90
    assert _ledger_remote_rows(tmp_path) == stats(fake)["billable.ok"]


def test_dead_first_provider_falls_through_and_metadata_says_who_served(
    fake: str, tmp_path: Path
) -> None:
    reset(fake)
    set_faults(fake, script={"anthropic.messages": ["500"] * 50, "elevenlabs.tts": ["500"] * 200})
    chains = {"story": ["anthropic", "openai"], "speech": ["elevenlabs", "openai"],
              "images": ["stability"], "music": ["elevenlabs"]}  # fmt: skip
    [entry] = _run(tmp_path, fake, chains, [["2026-11-21", "history_bites"]])
    assert entry["success"], entry.get("errors")
    meta = entry["metadata"]
    assert meta["story"]["provider"] == "openai"
    assert "anthropic ✗" in meta["story"]["providers_tried"]
    assert meta["narration"]["provider"] == "openai"
    assert "elevenlabs ✗" in meta["narration"]["providers_tried"]
    assert meta["scene_images"]["provider"].startswith("stability")


def test_thirty_percent_faults_ten_episodes_all_complete_costs_booked_once(
    fake: str, tmp_path: Path
) -> None:
    reset(fake)
    set_faults(fake, rate=0.3, seed=11, kinds=["429", "500", "drop", "malformed"], retry_after=0)
    chains = {"story": ["openai", "anthropic"], "speech": ["openai", "elevenlabs"],
              "images": ["openai", "stability"], "music": ["elevenlabs"]}  # fmt: skip
    slots = [[d, c] for d in DATES for c in ("space_facts", "history_bites")]
    entries = _run(tmp_path, fake, chains, slots)
    assert [e["success"] for e in entries] == [True] * 10, [e.get("errors") for e in entries]
    counts = stats(fake)
    assert sum(v for k, v in counts.items() if ".fault." in k) > 20  # faults really happened
    assert _ledger_remote_rows(tmp_path) == counts["billable.ok"]
