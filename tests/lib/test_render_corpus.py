"""A corpus of awkward manifests: each renders to the contract's timeline or is refused clearly.

Small sizes and the ultrafast preset keep the whole file well under a minute and a half on two
cores. Every rendered file is checked with ffprobe: the video stream, the container and the
audio stream all last the manifest's duration to within one frame.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import resource
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from reelforge.lib.render import ManifestError, parse_manifest, probe, render_file
from reelforge.lib.render.process import RenderError, ensure_open_files

MOTIONS = ["none", "zoom_in", "zoom_out", "pan_left", "pan_right"]
NASTY_CAPTIONS = [
    {"text": "back\\slash {\\b1}braces{} colon: 'single' \"double\"", "start": 0.0, "end": 0.4},
    {"text": "100% [brackets]; semi, comma = equals", "start": 0.4, "end": 0.8},
    {"text": "line one\nline two\r\nline three", "start": 0.8, "end": 1.1},
    {"text": "%{pts} %{n} %{localtime} \\N \\n \\h", "start": 1.1, "end": 1.4},
    {"text": "😀🎬 emoji", "start": 1.4, "end": 1.7},
    {"text": "中文字幕测试", "start": 1.7, "end": 2.0},
    {"text": "العربية من اليمين", "start": 2.0, "end": 2.3},
    {"text": "w" * 500, "start": 2.3, "end": 2.6},
]


def _wav(path: Path, samples: np.ndarray, rate: int) -> str:
    data = np.clip(samples, -1, 1)
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1 if data.ndim == 1 else data.shape[1])
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes((data * 32767).astype("<i2").tobytes())
    return path.name


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stills of odd sizes, modes and formats, a voice-like WAV and a short music loop."""
    folder = tmp_path_factory.mktemp("corpus")
    rng = np.random.default_rng(3)
    for name, (w, h), mode in [
        ("odd.png", (101, 77), "RGB"),
        ("wide.png", (1000, 20), "RGB"),
        ("tall.png", (12, 400), "RGB"),
        ("dot.png", (1, 1), "RGB"),
        ("gray.png", (90, 61), "L"),
        ("alpha.png", (77, 101), "RGBA"),
        ("photo.jpg", (150, 91), "RGB"),
    ]:
        pixels = rng.integers(0, 255, (h, w, len(mode)), dtype=np.uint8)
        Image.fromarray(pixels[..., 0] if mode == "L" else pixels).save(folder / name)
    t = np.arange(int(3.0 * 22050)) / 22050
    gate = (np.sin(2 * np.pi * 2.5 * t) > -0.2).astype(float)
    _wav(folder / "voice.wav", 0.4 * gate * np.sin(2 * np.pi * 180 * t), 22050)
    tm = np.arange(int(1.3 * 44100)) / 44100
    tone = 0.3 * np.sin(2 * np.pi * 330 * tm)
    _wav(folder / "music.wav", np.stack([tone, tone], axis=1), 44100)
    return folder


def manifest(name: str, width: int, height: int, fps: float, scenes: list[Any], **extra: Any):
    data: dict[str, Any] = {
        "version": 1,
        "output": {"width": width, "height": height, "fps": fps, "path": f"{name}.mp4"},
        "scenes": scenes,
        "transition": {"kind": "none", "duration": 0},
        "captions": [],
        "loudness": {"integrated_lufs": -16},
    }
    data.update(extra)
    return data


def write(folder: Path, name: str, data: dict[str, Any]) -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def assert_on_timeline(path: Path, data: dict[str, Any]) -> None:
    """Video stream, container and audio all last sum(durations), to within one frame."""
    expected = sum(s["duration"] for s in data["scenes"])
    frame = 1 / data["output"]["fps"]
    info = probe(path)
    video = next(s for s in info["streams"] if s["codec_type"] == "video")
    audio = next(s for s in info["streams"] if s["codec_type"] == "audio")
    found = {
        "video": float(video["duration"]),
        "container": float(info["format"]["duration"]),
        "audio": float(audio["duration"]),
    }
    for what, seconds in found.items():
        assert abs(seconds - expected) <= frame + 1e-3, (what, seconds, expected, found)
    assert (video["width"], video["height"]) == (data["output"]["width"], data["output"]["height"])
    assert int(video["nb_frames"]) == math.floor(expected * data["output"]["fps"] + 0.5)


def render_case(folder: Path, name: str, data: dict[str, Any]) -> None:
    result = render_file(write(folder, name, data), preset="ultrafast")
    assert_on_timeline(result.path, data)


def scene(image: str, duration: float, motion: str = "none") -> dict[str, Any]:
    return {"image": image, "duration": duration, "motion": motion}


# --- renders -----------------------------------------------------------------------------


def test_all_motions_fading_with_narration_ducked_music_and_nasty_captions(media: Path) -> None:
    images = ["odd.png", "wide.png", "tall.png", "photo.jpg", "gray.png"]
    data = manifest(
        "motions", 64, 112, 15,
        [scene(img, 0.6, m) for img, m in zip(images, MOTIONS, strict=True)],
        transition={"kind": "fade", "duration": 0.2},
        narration="voice.wav",
        music={"path": "music.wav", "gain_db": -10, "duck": True},
        captions=NASTY_CAPTIONS,
    )  # fmt: skip
    render_case(media, "motions", data)


def test_cuts_without_audio_or_captions_at_an_odd_size(media: Path) -> None:
    data = manifest(
        "silent", 322, 570, 12,
        [scene("alpha.png", 0.5, "pan_left"), scene("odd.png", 0.75, "zoom_out")],
    )  # fmt: skip
    render_case(media, "silent", data)


def test_one_scene_16px_with_narration_only_and_nasty_captions(media: Path) -> None:
    data = manifest(
        "tiny", 16, 16, 10, [scene("wide.png", 2.6, "zoom_in")],
        narration="voice.wav", captions=NASTY_CAPTIONS,
    )  # fmt: skip
    render_case(media, "tiny", data)


def test_music_only_landscape_with_degenerate_stills(media: Path) -> None:
    data = manifest(
        "music", 96, 54, 24,
        [scene("dot.png", 0.5, "pan_right"), scene("tall.png", 0.4), scene("wide.png", 0.7)],
        transition={"kind": "fade", "duration": 0.3},
        music={"path": "music.wav", "gain_db": 0, "duck": True},  # nothing to duck under
    )  # fmt: skip
    render_case(media, "music", data)


def _many(count: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    images = ["odd.png", "wide.png", "tall.png", "photo.jpg", "gray.png", "alpha.png"]
    return [
        scene(images[k % len(images)], round(rng.uniform(0.1, 0.2), 3), MOTIONS[k % 5])
        for k in range(count)
    ]


@pytest.mark.slow
def test_200_short_scenes_with_fades_and_a_caption_each(media: Path) -> None:
    scenes = _many(200, 1)
    starts = np.cumsum([0.0] + [s["duration"] for s in scenes])
    captions = [
        {"text": f"w{k}", "start": float(a), "end": float(b)}
        for k, (a, b) in enumerate(itertools.pairwise(starts))
    ]
    data = manifest(
        "many", 64, 64, 30, scenes,
        transition={"kind": "fade", "duration": 0.05},
        narration="voice.wav", captions=captions,
    )  # fmt: skip
    render_case(media, "many", data)


@pytest.mark.slow
def test_500_scenes_render_even_under_a_low_open_files_limit(media: Path) -> None:
    """The schema's maximum: 500 stills are 500 FFmpeg inputs. The engine raises the soft
    descriptor limit it inherits (here 256) instead of failing with "Too many open files"."""
    data = manifest("max", 32, 32, 10, _many(500, 2))
    path = write(media, "max", data)
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 600:
        pytest.skip(f"hard open-files limit {hard} is below what 500 inputs need")
    low = min(256, hard) if hard != resource.RLIM_INFINITY else 256
    cli = Path(sys.executable).parent / "reelforge"
    done = subprocess.run(
        [str(cli), "render", str(path), "--preset", "ultrafast"],
        capture_output=True, text=True, timeout=120, check=False,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (low, hard)),
        env={**os.environ, "COLUMNS": "200"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert_on_timeline(media / "max.mp4", data)


# --- refusals ----------------------------------------------------------------------------


def test_open_files_beyond_the_hard_limit_are_refused_clearly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(resource, "getrlimit", lambda _: (100, 200))
    with pytest.raises(RenderError, match=r"500 inputs needs about 564 open files.*at most 200"):
        ensure_open_files(500)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(scenes=d["scenes"] * 501), r"\$\.scenes: .* is too long"),
        (lambda d: d["output"].update(width=33), r"\$\.output\.width: 33 is not a multiple of 2"),
        (lambda d: d["output"].update(height=8), r"\$\.output\.height: 8 is less than"),
        (
            lambda d: d.update(transition={"kind": "fade", "duration": 0.5}),
            r"fade of 0\.5 s must be shorter than scene 1",
        ),
        (lambda d: d["scenes"][0].update(image="missing.png"), r"'missing\.png': no such file"),
        (lambda d: d["captions"].append({"text": "", "start": 0, "end": 1}), r"captions\[0\]"),
        (lambda d: d["captions"].append({"text": "x" * 501, "start": 0, "end": 1}), "too long"),
    ],
)
def test_invalid_manifests_are_refused_with_the_path_of_the_problem(
    media: Path, change: Any, message: str
) -> None:
    data = manifest("bad", 64, 64, 10, [scene("odd.png", 0.5), scene("gray.png", 0.5)])
    change(data)
    with pytest.raises(ManifestError, match=message):
        parse_manifest(data, media)
