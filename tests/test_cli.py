"""The `reelforge` command: bad config is refused before anything is written."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH

REELFORGE = str(Path(sys.executable).parent / "reelforge")


def _run(args: list[str], home: Path, config: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REELFORGE_HOME": str(home), "REELFORGE_CONFIG": str(config)}
    env.pop("DAGSTER_HOME", None)
    return subprocess.run([REELFORGE, *args], capture_output=True, text=True, env=env, check=False)


def test_demo_with_broken_config_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["channels"][0]["slug"] = "../evil"
    config = tmp_path / "channels.yaml"
    config.write_text(yaml.safe_dump(data))
    home = tmp_path / "home"
    proc = _run(["demo"], home, config)
    assert proc.returncode == 2
    assert str(config) in proc.stderr
    assert "channels[0].slug" in proc.stderr and "lowercase" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not home.exists()


def test_check_config_accepts_the_shipped_file(tmp_path: Path) -> None:
    proc = _run(["check-config"], tmp_path / "home", DEFAULT_CONFIG_PATH)
    assert proc.returncode == 0, proc.stderr
    assert "2 channels" in proc.stdout


def test_render_refuses_an_invalid_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "m.json"
    manifest.write_text('{"version": 7, "scenes": []}')
    proc = _run(["render", str(manifest)], tmp_path / "home", DEFAULT_CONFIG_PATH)
    assert proc.returncode == 2
    assert "version" in proc.stderr and "output" in proc.stderr
    assert "Traceback" not in proc.stderr
