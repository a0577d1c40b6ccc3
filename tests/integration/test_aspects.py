"""A channel asking for every aspect gets one video per aspect, from the same inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH
from reelforge.lib.render.probe import video_info

pytestmark = pytest.mark.slow
RUNNER = Path(__file__).with_name("episodes_runner.py")


def test_every_aspect_is_rendered(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["channels"][0]["aspects"] = ["9:16", "16:9", "1:1"]
    data["channels"][0]["defaults"]["target_seconds"] = 20
    config = tmp_path / "channels.yaml"
    config.write_text(yaml.safe_dump(data))
    home = tmp_path / "home"
    (home / "dagster_home").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(REELFORGE_HOME=str(home), DAGSTER_HOME=str(home / "dagster_home"),
               REELFORGE_CONFIG=str(config), REELFORGE_RENDER_HEIGHT="320",
               REELFORGE_RENDER_PRESET="ultrafast")  # fmt: skip
    report = tmp_path / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), json.dumps([["2026-11-21", "space_facts"]]), str(report)],
        env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    [entry] = json.loads(report.read_text())
    assert entry["success"], entry.get("errors")
    folder = home / "episodes" / "space_facts" / "2026-11-21"
    sizes = {}
    for tag in ("9x16", "16x9", "1x1"):
        info = video_info(folder / f"video_{tag}.mp4")
        sizes[tag] = (info.width, info.height)
        assert (folder / f"manifest_{tag}.json").is_file()
    assert sizes == {"9x16": (180, 320), "16x9": (568, 320), "1x1": (320, 320)}
