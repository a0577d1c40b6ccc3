"""Issue #7: a story with banned content stops before narration; approving it resumes and
finishes the episode without regenerating anything upstream; rejecting it N times ends it as
failed with the reason."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH

pytestmark = pytest.mark.slow
RUNNER = Path(__file__).with_name("review_runner.py")
BANNED = {
    "space_facts": ["earth", "moon", "sun", "stars", "planet"],
    "history_bites": ["museum", "thousand", "coin", "ancient", "war", "years"],
}


def test_review_queue_stops_resumes_and_fails_after_rejections(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    for channel in data["channels"]:
        channel["defaults"]["target_seconds"] = 20
        channel["moderation"] = {"banned_topics": BANNED[channel["slug"]], "max_rejections": 2}
    config = tmp_path / "channels.yaml"
    config.write_text(yaml.safe_dump(data))
    home = tmp_path / "home"
    (home / "dagster_home").mkdir(parents=True)
    (home / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(REELFORGE_HOME=str(home), DAGSTER_HOME=str(home / "dagster_home"),
               REELFORGE_CONFIG=str(config), REELFORGE_RENDER_HEIGHT="320",
               REELFORGE_RENDER_PRESET="ultrafast")  # fmt: skip
    report_path = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, str(RUNNER), str(report_path)], env=env,
                          capture_output=True, text=True, timeout=1200, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    r = json.loads(report_path.read_text())

    first = r["first"]
    assert not first["success"]
    assert "story" in first["assets"] and "narration" not in first["assets"]
    assert any("banned_topic" in reason for reason in r["pending"])
    assert r["approved"]
    [resumed] = r["resumed"]
    assert resumed["job"] == "resume_after_story" and resumed["success"], resumed["failures"]
    assert {"narration", "videos", "uploads", "episode_warehouse"} <= set(resumed["assets"])
    assert "story" not in resumed["assets"] and "generation_plan" not in resumed["assets"]
    assert r["again"] == []  # one run per decision, no more

    runs = r["reject_runs"]
    assert [x["success"] for x in runs] == [False, False, False]
    assert "narration" not in {a for x in runs for a in x["assets"]}
    assert all(r["rejected"])
    final = runs[-1]["failures"]
    assert any("rejected 2 times" in f and "rejected in test" in f for f in final), final
    assert r["audit"].count("review.approved") >= 1 and r["audit"].count("review.rejected") >= 2
    assert "run.config" in r["audit"]  # each run's config hash is on record
