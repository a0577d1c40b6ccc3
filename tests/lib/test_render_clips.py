"""Manifest v2: scenes that are video clips, mixed with stills, render to the exact timeline."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelforge.lib.clips_local import ken_burns_clip
from reelforge.lib.render import (
    ManifestError,
    dump_manifest,
    load_manifest,
    parse_manifest,
    render,
    video_info,
)
from reelforge.lib.timeline import build_manifest

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
W, H, FPS = 64, 112, 30


def _clip(path: Path, seconds: float, size: str = "48x48", color: str = "red") -> Path:
    """A moving test clip with its own audio (which the render must ignore)."""
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y",
         "-f", "lavfi", "-i", f"color=c={color}:size={size}:rate=24:duration={seconds}",
         "-f", "lavfi", "-i", f"sine=frequency=1000:duration={seconds}",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac",
         "-shortest", str(path)],
        check=True,
    )  # fmt: skip
    return path


def _gray(video: Path, at: float) -> np.ndarray:
    out = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-ss", f"{at:.3f}", "-i", str(video),
         "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(out, np.uint8).reshape(H, W, 3)


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    Image.new("RGB", (W, H), (0, 0, 255)).save(tmp_path / "blue.png")
    _clip(tmp_path / "red_short.mp4", 0.5)  # shorter than its scene: held on the last frame
    _clip(tmp_path / "green_long.mov", 3.0, "160x90", "lime")  # longer: cut; landscape: cropped
    return tmp_path


def _manifest(clips: list[str | None], fade: bool = True) -> dict[str, Any]:
    durations = [1.0, 1.2, 0.9]
    manifest = build_manifest(
        width=W, height=H, fps=FPS, output="out.mp4", images=["blue.png"] * 3,
        motions=["zoom_in", "pan_left", "zoom_out"], durations=durations, narration=None,
        music=None, music_gain_db=-12, words=[], integrated_lufs=-14, clips=clips,
    )  # fmt: skip
    if not fade:
        manifest["transition"] = {"kind": "none", "duration": 0}
    return manifest


def test_stills_only_stay_version_1(folder: Path) -> None:
    data = _manifest([None, None, None])
    assert data["version"] == 1 and all("clip" not in s for s in data["scenes"])
    assert dump_manifest(parse_manifest(data, folder)) == data


@pytest.mark.parametrize("fade", [True, False])
def test_a_mix_of_stills_and_clips_renders_with_exact_duration(folder: Path, fade: bool) -> None:
    data = _manifest([None, "red_short.mp4", "green_long.mov"], fade=fade)
    assert data["version"] == 2
    (folder / "m.json").write_text(json.dumps(data))
    manifest = load_manifest(folder / "m.json")
    assert dump_manifest(manifest) == data
    result = render(manifest, preset="ultrafast")
    info = video_info(result.path)
    assert info.frames == round(3.1 * FPS) and abs(info.duration - 3.1) < 1e-3
    assert (info.width, info.height) == (W, H) and info.has_audio
    at_still, at_red_held = _gray(result.path, 0.5), _gray(result.path, 2.0)
    at_green = _gray(result.path, 2.9)
    assert at_still[..., 2].mean() > 150 and at_still[..., 0].mean() < 60  # blue still
    assert at_red_held[..., 0].mean() > 150 and at_red_held[..., 1].mean() < 60  # red, held
    assert at_green[..., 1].mean() > 150 and at_green[..., 0].mean() < 60  # green, covering


def test_local_ken_burns_clips_play_back_frame_exact(folder: Path) -> None:
    ken_burns_clip(folder / "blue.png", folder / "kb.mp4", motion="zoom_in", seconds=1.2,
                   width=W, height=H, fps=FPS, preset="ultrafast")  # fmt: skip
    data = _manifest(["kb.mp4", "kb.mp4", None], fade=False)
    (folder / "m.json").write_text(json.dumps(data))
    result = render(load_manifest(folder / "m.json"), preset="ultrafast")
    assert video_info(result.path).frames == round(3.1 * FPS)


def test_clip_paths_are_checked_like_every_input(folder: Path) -> None:
    data = _manifest([None, "missing.mp4", "../escape.mp4"])
    with pytest.raises(ManifestError) as err:
        parse_manifest(data, folder)
    text = str(err.value)
    assert "$.scenes[1].clip" in text and "no such file" in text
    assert "$.scenes[2].clip" in text and "inside the manifest folder" in text
    v1_with_clip = {**_manifest([None, "red_short.mp4", None]), "version": 1}
    with pytest.raises(ManifestError, match=r"\$\.scenes\[1\]"):
        parse_manifest(v1_with_clip, folder)  # version 1 stays exactly as it was
