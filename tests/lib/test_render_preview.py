"""Preview renders: 480p copies of a manifest, through the library and `reelforge render`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelforge.cli import main
from reelforge.lib.render import load_manifest, preview_manifest, render, video_info
from reelforge.lib.render.preview import preview_path, preview_size

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1080, 1920), (480, 854)),  # 9:16 portrait: 1920 * 480 / 1080 = 853.3 -> even 854
        ((1920, 1080), (854, 480)),
        ((2000, 2000), (480, 480)),
        ((3840, 1646), (1120, 480)),  # 3840 * 480 / 1646 = 1119.8 -> 1120
        ((322, 570), (322, 570)),  # short side already under 480: never enlarged
        ((7680, 16), (7680, 16)),
        ((962, 7680), (480, 3832)),
    ],
)
def test_preview_size_keeps_aspect_and_even_sides(
    size: tuple[int, int], expected: tuple[int, int]
) -> None:
    w, h = preview_size(*size)
    assert (w, h) == expected
    assert w % 2 == 0 and h % 2 == 0
    assert abs(w / h - size[0] / size[1]) <= 2 / min(w, h)


def test_preview_path_sits_next_to_the_real_output() -> None:
    assert preview_path("out/final video.mp4") == "out/final video.preview.mp4"
    assert preview_path("v.MKV") == "v.preview.MKV"


def _manifest(folder: Path, width: int, height: int) -> Path:
    img = np.zeros((400, 300, 3), np.uint8)
    img[:, :, 2] = 120  # dark blue: no yellow anywhere but the captions
    Image.fromarray(img).save(folder / "a.png")
    data: dict[str, Any] = {
        "version": 1,
        "output": {"width": width, "height": height, "fps": 5, "path": "video.mp4"},
        "scenes": [{"image": "a.png", "duration": 1.0, "motion": "zoom_in"}],
        "transition": {"kind": "none", "duration": 0},
        "captions": [{"text": "HELLO", "start": 0.0, "end": 1.0}],
        "loudness": {"integrated_lufs": -14},
    }
    path = folder / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _caption_box(path: Path, width: int, height: int) -> tuple[float, float, float, float]:
    """The bounding box of the yellow (highlighted) caption text, as fractions of the frame."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", f"file:{path}", "-frames:v", "1", "-f", "rawvideo",
         "-pix_fmt", "rgb24", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    rgb = np.frombuffer(raw, np.uint8).reshape(height, width, 3).astype(int)
    ys, xs = np.nonzero((rgb[..., 0] > 180) & (rgb[..., 1] > 160) & (rgb[..., 2] < 90))
    assert xs.size, "no caption found"
    return xs.min() / width, xs.max() / width, ys.min() / height, ys.max() / height


def test_preview_manifest_scales_output_and_captions(tmp_path: Path) -> None:
    manifest = load_manifest(_manifest(tmp_path, 1080, 1920))
    small = preview_manifest(manifest)
    assert (small.output.width, small.output.height) == (480, 854)
    assert small.output.path == "video.preview.mp4"
    assert (small.scenes, small.captions, small.transition) == (
        manifest.scenes,
        manifest.captions,
        manifest.transition,
    )
    full = render(manifest, preset="ultrafast")
    preview = render(small, preset="ultrafast")
    assert preview.path == tmp_path / "video.preview.mp4" and full.path.exists()
    assert (preview.width, preview.height, preview.duration) == (480, 854, 1.0)
    # The ASS script's PlayRes follows the output size: captions keep their place and size.
    big_box = _caption_box(full.path, 1080, 1920)
    small_box = _caption_box(preview.path, 480, 854)
    assert np.allclose(big_box, small_box, atol=0.02), (big_box, small_box)


def test_cli_preview_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _manifest(tmp_path, 720, 1280)
    assert main(["render", str(path), "--preview", "--preset", "ultrafast"]) == 0
    info = video_info(tmp_path / "video.preview.mp4")
    assert (info.width, info.height) == (480, 854)
    assert not (tmp_path / "video.mp4").exists()  # the real output is left alone
    assert "video.preview.mp4: 480x854" in capsys.readouterr().out
    out = tmp_path / "review.mp4"
    assert main(["render", str(path), "--preview", "--out", str(out), "--preset", "ultrafast"]) == 0
    assert video_info(out).height == 854


def test_cli_reports_a_failed_render_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _manifest(tmp_path, 64, 64)
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\nbroken")
    assert main(["render", str(path), "--preset", "ultrafast"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: video render failed") and "Traceback" not in err
