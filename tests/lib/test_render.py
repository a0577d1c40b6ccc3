"""Render engine: manifests (contract v1), timeline maths, and real (tiny) FFmpeg renders."""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import wave
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw

from reelforge.lib.render import (
    ManifestError,
    RenderError,
    dump_manifest,
    load_manifest,
    parse_manifest,
    probe,
    render,
    render_file,
    video_info,
)
from reelforge.lib.render.audio import mix_inputs_and_graph
from reelforge.lib.render.graph import escape_filter_value, image_demuxer
from reelforge.lib.render.timeline import fps_fraction, motion_filter, plan_timeline

pytestmark = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")

NASTY_DIR = "we:ird 'dir, [x]; ok"
NASTY_IMAGE = "a:1 'x',[y] z.png"
NASTY_CAPTIONS = [
    {"text": "Hi {\\b1} x\\N", "start": 0.1, "end": 0.6},
    {"text": "%{pts}:'\"[];,=", "start": 0.6, "end": 1.2},
    {"text": "😀 中文 العربية\n\u202eevil", "start": 1.2, "end": 1.9},
    {"text": "z" * 500, "start": 2.0, "end": 2.6},
]


# --- media fixtures ----------------------------------------------------------------------


def picture(path: Path, size: tuple[int, int], hue: int, fmt: str = "PNG") -> Path:
    """A blue/green picture with shapes (no yellow: captions are detected by their yellow)."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    rgb = np.stack([x * 0 + 20, (x * 200 // w + hue) % 200, 90 + y * 150 // h], axis=-1)
    img = Image.fromarray(rgb.astype(np.uint8))
    ImageDraw.Draw(img).ellipse((w // 4, h // 4, 3 * w // 4, 3 * h // 4), fill=(30, 60, 200))
    img.save(path, format=fmt)
    return path


def write_wav(path: Path, samples: np.ndarray, rate: int) -> Path:
    data = np.clip(samples, -1, 1)
    channels = 1 if data.ndim == 1 else data.shape[1]
    with wave.open(str(path), "wb") as f:
        f.setnchannels(channels)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes((data * 32767).astype("<i2").tobytes())
    return path


def speech_like(seconds: float, rate: int = 22050, seed: int = 1) -> np.ndarray:
    """Tone bursts with pauses: enough like speech to key the ducker."""
    t = np.arange(int(seconds * rate)) / rate
    envelope = (np.sin(2 * np.pi * 2.5 * t) > -0.2).astype(float)
    noise = np.random.default_rng(seed).normal(0, 0.05, t.size)
    return (
        0.4 * envelope * (np.sin(2 * np.pi * 180 * t) + 0.5 * np.sin(2 * np.pi * 410 * t)) + noise
    )


def noise_music(seconds: float, rate: int = 44100, amp: float = 0.3) -> np.ndarray:
    rng = np.random.default_rng(7)
    white = rng.normal(0, 1, (int(seconds * rate), 2))
    return amp * np.cumsum(white, axis=0) / np.sqrt(np.arange(1, white.shape[0] + 1))[:, None]


def manifest_dict(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "version": 1,
        "output": {"width": 160, "height": 288, "fps": 15, "path": "out.mp4"},
        "scenes": [{"image": "a.png", "duration": 1.0, "motion": "none"}],
        "transition": {"kind": "none", "duration": 0},
        "captions": [],
        "loudness": {"integrated_lufs": -14},
    }
    data.update(overrides)
    return data


def write_manifest(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "manifest.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def loudness(path: Path) -> tuple[float, float]:
    """Integrated loudness (LUFS) and true peak (dBTP) of a file's audio, via ebur128."""
    done = subprocess.run(
        ["ffmpeg", "-hide_banner", "-nostats", "-i", f"file:{path}", "-map", "0:a",
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    ).stderr  # fmt: skip
    summary = done[done.rindex("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = float(re.search(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary).group(1))  # type: ignore[union-attr]
    return integrated, peak


def frames_of(path: Path, width: int, height: int, pix_fmt: str = "gray") -> np.ndarray:
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", f"file:{path}", "-f", "rawvideo", "-pix_fmt", pix_fmt, "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    depth = 1 if pix_fmt == "gray" else 3
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, depth).squeeze()


def top_level_boxes(path: Path) -> list[str]:
    boxes, data = [], path.read_bytes()
    pos = 0
    while pos + 8 <= len(data):
        size = int.from_bytes(data[pos : pos + 4], "big")
        boxes.append(data[pos + 4 : pos + 8].decode("latin-1"))
        if size < 8:
            break
        pos += size
    return boxes


# --- the full render (one render, several checks) ----------------------------------------


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("full") / NASTY_DIR
    folder.mkdir()
    picture(folder / NASTY_IMAGE, (640, 480), 0)
    picture(folder / "b.jpg", (300, 600), 60, "JPEG")
    picture(folder / "c.png", (500, 500), 120)
    write_wav(folder / "voice.wav", speech_like(3.0), 22050)
    write_wav(folder / "music.wav", noise_music(1.3), 44100)  # shorter than the video: loops
    data = manifest_dict(
        output={"width": 160, "height": 288, "fps": 15, "path": "out dir/final video.mp4"},
        scenes=[
            {"image": NASTY_IMAGE, "duration": 1.0, "motion": "zoom_in"},
            {"image": "b.jpg", "duration": 1.2, "motion": "pan_left"},
            {"image": "c.png", "duration": 1.1, "motion": "zoom_out"},
        ],
        transition={"kind": "fade", "duration": 0.3},
        narration="voice.wav",
        music={"path": "music.wav", "gain_db": -12, "duck": True},
        captions=NASTY_CAPTIONS,
        loudness={"integrated_lufs": -16},
    )
    calls: list[float] = []
    result = render_file(write_manifest(folder, data), preset="ultrafast")
    manifest = load_manifest(folder / "manifest.json")
    again = render(
        manifest, out_path=folder / "copy.mp4", preset="ultrafast", progress=calls.append
    )
    return {"folder": folder, "result": result, "again": again, "progress": calls}


def test_full_render_matches_the_timeline(full: dict[str, Any]) -> None:
    result = full["result"]
    assert result.path == full["folder"] / "out dir" / "final video.mp4"
    info = video_info(result.path)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height, info.pix_fmt) == (160, 288, "yuv420p")
    assert info.fps == 15 and result.fps == 15
    assert info.frames == 50  # round(3.3 s * 15 fps)
    assert abs(info.duration - 3.3) <= 1 / 15
    assert info.sample_rate == 48000 and info.audio_channels == 2
    assert info.audio_duration is not None and abs(info.audio_duration - info.duration) < 0.05
    assert result.size_bytes == result.path.stat().st_size > 0
    assert result.wall_seconds > 0
    video = next(s for s in probe(result.path)["streams"] if s["codec_type"] == "video")
    assert video["color_space"] == video["color_primaries"] == video["color_transfer"] == "bt709"
    assert video["color_range"] == "tv"
    boxes = top_level_boxes(result.path)
    assert boxes.index("moov") < boxes.index("mdat")  # +faststart


def test_full_render_leaves_only_the_output(full: dict[str, Any]) -> None:
    folder = full["folder"]
    assert sorted(p.name for p in (folder / "out dir").iterdir()) == ["final video.mp4"]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]


def test_progress_is_monotonic_and_complete(full: dict[str, Any]) -> None:
    calls = full["progress"]
    assert calls[0] == 0.0 and calls[-1] == 1.0
    assert calls == sorted(calls) and all(0 <= c <= 1 for c in calls)
    assert full["again"].path.name == "copy.mp4"


def test_loudness_is_on_target(full: dict[str, Any]) -> None:
    integrated, peak = loudness(full["result"].path)
    assert abs(integrated - -16) <= 1.0
    assert peak <= -1.0


def test_captions_are_burned_in(full: dict[str, Any]) -> None:
    frames = frames_of(full["result"].path, 160, 288, "rgb24").astype(int)
    r, g, b = frames[..., 0], frames[..., 1], frames[..., 2]
    yellow = ((r > 180) & (g > 160) & (b < 90)).sum(axis=(1, 2))
    # Karaoke highlights the spoken cue in yellow; the pictures themselves have no yellow.
    assert yellow[0] == 0  # before the first cue (0.1 s)
    assert yellow[3] > 0 and yellow[12] > 0 and yellow[35] > 0  # 0.2 s, 0.8 s, 2.33 s
    assert yellow[45] == 0  # after the last cue (2.6 s)


# --- more renders ------------------------------------------------------------------------


def line_picture(path: Path) -> Path:
    """Black with one bright vertical line at 90 % of the width."""
    img = np.zeros((400, 240), np.uint8)
    img[:, 214:218] = 255
    Image.fromarray(img).save(path)
    return path


def test_every_motion_moves_the_right_way_without_jitter(tmp_path: Path) -> None:
    line_picture(tmp_path / "line.png")
    motions = ["none", "zoom_in", "zoom_out", "pan_left", "pan_right"]
    data = manifest_dict(
        output={"width": 120, "height": 200, "fps": 15, "path": "m.mp4"},
        scenes=[{"image": "line.png", "duration": 1.0, "motion": m} for m in motions],
    )
    result = render_file(write_manifest(tmp_path, data), preset="ultrafast")
    frames = frames_of(result.path, 120, 200).astype(float)
    assert frames.shape[0] == 75
    columns = frames[:, 50:150, :].mean(axis=1)
    xs = columns.argmax(axis=1)
    for k, motion in enumerate(motions):
        track = xs[k * 15 : (k + 1) * 15]
        steps = np.diff(track)
        if motion == "none":
            assert (steps == 0).all()
            continue
        # The line sits right of the centre: zooming in and panning right push it right.
        sign = 1 if motion in ("zoom_in", "pan_right") else -1
        assert sign * (track[-1] - track[0]) >= 3, (motion, track)
        assert (sign * steps >= 0).all(), (motion, track)  # monotonic: never jitters back


def test_fade_follows_the_contract_timeline(tmp_path: Path) -> None:
    Image.new("RGB", (32, 32), (0, 0, 0)).save(tmp_path / "black.png")
    Image.new("RGB", (32, 32), (255, 255, 255)).save(tmp_path / "white.png")
    data = manifest_dict(
        output={"width": 32, "height": 32, "fps": 10, "path": "f.mp4"},
        scenes=[
            {"image": "black.png", "duration": 1.0, "motion": "none"},
            {"image": "white.png", "duration": 1.0, "motion": "none"},
        ],
        transition={"kind": "fade", "duration": 0.4},
    )
    result = render_file(write_manifest(tmp_path, data), preset="ultrafast")
    luma = frames_of(result.path, 32, 32).astype(float).mean(axis=(1, 2))
    assert luma.shape == (20,)  # 2 s exactly: the hold does not lengthen the video
    assert (luma[:10] < 25).all()  # scene 0 alone until scene 1 starts at 1.0 s
    assert (np.diff(luma[10:15]) > 20).all()  # then fades in over 0.4 s
    assert (luma[14:] > 225).all()


def test_no_audio_inputs_give_a_silent_track_of_the_right_length(tmp_path: Path) -> None:
    # JPEG bytes behind a `.png` name with a `%d` in it: content sniffing must still decode it.
    picture(tmp_path / "odd%d.png", (200, 100), 10, "JPEG")
    picture(tmp_path / "b.png", (100, 200), 90)
    frames = [Image.new("RGB", (40, 40), (80 * i,) * 3) for i in range(4)]
    frames[0].save(tmp_path / "anim.gif", save_all=True, append_images=frames[1:], duration=50)
    data = manifest_dict(
        output={"width": 96, "height": 160, "fps": 29.97, "path": "s.mp4"},
        scenes=[
            {"image": "odd%d.png", "duration": 0.7, "motion": "pan_right"},
            {"image": "anim.gif", "duration": 0.5, "motion": "zoom_out"},  # first frame only
            {"image": "b.png", "duration": 0.9, "motion": "none"},
        ],
    )
    result = render_file(write_manifest(tmp_path, data), preset="ultrafast")
    info = video_info(result.path)
    assert info.frames == round(2.1 * 30000 / 1001)
    video = frames_of(result.path, 96, 160).astype(int)
    assert video[22:36].max() < 40  # the GIF's first (black) frame is held, not the animation
    assert np.abs(video[36:40] - video[60]).mean() < 3  # then the still scene, on time
    assert math.isclose(info.fps, 30000 / 1001, rel_tol=1e-6)
    assert info.has_audio and info.audio_codec == "aac"
    assert info.audio_duration is not None and abs(info.audio_duration - info.duration) < 0.05
    integrated, _ = loudness(result.path)
    assert integrated <= -69  # digital silence


def test_long_mp3_narration_is_cut_and_limited_to_a_loud_target(tmp_path: Path) -> None:
    picture(tmp_path / "a.png", (64, 64), 0)
    write_wav(tmp_path / "v.wav", speech_like(4.0) * 2.0, 22050)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", "v.wav", "-c:a", "libmp3lame", "v.mp3"],
        cwd=tmp_path, check=True,
    )  # fmt: skip
    write_wav(tmp_path / "m.wav", noise_music(2.0, amp=0.8), 44100)
    data = manifest_dict(
        output={"width": 64, "height": 64, "fps": 10, "path": "loud.mkv"},
        scenes=[{"image": "a.png", "duration": 2.0, "motion": "zoom_in"}],
        narration="v.mp3",
        music={"path": "m.wav", "gain_db": -3, "duck": False},
        loudness={"integrated_lufs": -9},
    )
    result = render_file(write_manifest(tmp_path, data), preset="ultrafast")
    info = video_info(result.path)
    assert abs(info.duration - 2.0) <= 0.1
    integrated, peak = loudness(result.path)
    assert abs(integrated - -9) <= 1.0
    assert peak <= -1.0


def raw_mix(folder: Path, data: dict[str, Any], seconds: float) -> np.ndarray:
    """The soundtrack mix before loudness normalisation (float stereo at 48 kHz)."""
    inputs, graph = mix_inputs_and_graph(parse_manifest(data, folder), round(seconds * 48000))
    out = subprocess.run(
        ["ffmpeg", "-v", "error", *inputs, "-filter_complex", graph, "-map", "[mix]",
         "-f", "f32le", "-"],
        capture_output=True, check=True,
    ).stdout  # fmt: skip
    return np.frombuffer(out, "<f4").reshape(-1, 2).astype(float)


def db(x: np.ndarray) -> float:
    return 20 * math.log10(float(np.sqrt(np.mean(x**2))) + 1e-12)


def test_music_is_looped_lowered_ducked_and_faded(tmp_path: Path) -> None:
    picture(tmp_path / "a.png", (16, 16), 0)
    t = np.arange(int(1.0 * 22050)) / 22050
    voice = 0.5 * np.sin(2 * np.pi * 200 * t) * ((t >= 0.2) & (t < 0.9))
    write_wav(tmp_path / "v.wav", voice, 22050)  # 1 s: padded to the 2.5 s video
    tm = np.arange(int(0.7 * 44100)) / 44100
    tone = 0.5 * np.sin(2 * np.pi * 440 * tm)
    write_wav(tmp_path / "m.wav", np.stack([tone, tone], axis=1), 44100)  # 0.7 s: looped
    scenes = [{"image": "a.png", "duration": 2.5, "motion": "none"}]
    music = {"path": "m.wav", "gain_db": -12, "duck": True}
    only_music = raw_mix(tmp_path, manifest_dict(scenes=scenes, music=music), 2.5)
    only_voice = raw_mix(tmp_path, manifest_dict(scenes=scenes, narration="v.wav"), 2.5)
    both = raw_mix(tmp_path, manifest_dict(scenes=scenes, narration="v.wav", music=music), 2.5)
    assert only_music.shape == only_voice.shape == both.shape == (120000, 2)
    sec = lambda a, b: slice(int(a * 48000), int(b * 48000))  # noqa: E731
    expected = db(np.full(1000, 0.5 / math.sqrt(2))) - 12
    assert abs(db(only_music[sec(0.1, 1.4)]) - expected) < 0.3  # gain, and looping past 0.7 s
    assert abs(db(only_music[sec(1.2, 1.45)]) - expected) < 0.3
    assert db(only_music[sec(2.45, 2.5)]) < expected - 20  # faded out over the last second
    assert db(only_voice[sec(1.0, 2.5)]) < -90  # narration padded with silence
    ducked = both - only_voice  # amix does not normalise: the mix is a plain sum
    assert db(ducked[sec(0.0, 0.15)]) > expected - 1  # before the voice: full level
    assert db(ducked[sec(0.4, 0.85)]) < expected - 6  # under the voice: ducked


def test_failed_render_leaves_the_old_output_and_no_temporaries(tmp_path: Path) -> None:
    picture(tmp_path / "a.png", (64, 64), 0)
    (tmp_path / "bad.png").write_bytes((tmp_path / "a.png").read_bytes()[:60])  # truncated
    (tmp_path / "out.mp4").write_bytes(b"previous video")
    data = manifest_dict(
        scenes=[
            {"image": "a.png", "duration": 0.5, "motion": "none"},
            {"image": "bad.png", "duration": 0.5, "motion": "none"},
        ]
    )
    before = sorted(os.listdir(tmp_path))
    with pytest.raises(RenderError, match="ffmpeg exit code"):
        render_file(write_manifest(tmp_path, data), preset="ultrafast")
    assert sorted(os.listdir(tmp_path)) == sorted([*before, "manifest.json"])
    assert (tmp_path / "out.mp4").read_bytes() == b"previous video"


def test_a_failing_progress_callback_stops_and_cleans_up(tmp_path: Path) -> None:
    picture(tmp_path / "a.png", (64, 64), 0)
    manifest = parse_manifest(manifest_dict(), tmp_path)

    def stop(_: float) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render(manifest, progress=stop)
    assert sorted(os.listdir(tmp_path)) == ["a.png"]


# --- manifests ---------------------------------------------------------------------------


@pytest.fixture
def media(tmp_path: Path) -> Path:
    picture(tmp_path / "a.png", (32, 32), 0)
    write_wav(tmp_path / "v.wav", speech_like(0.5), 22050)
    return tmp_path


def problems_of(data: Any, base: Path) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        parse_manifest(data, base)
    message = str(caught.value)
    assert all(p in message for p in caught.value.problems)
    return caught.value.problems


def test_all_schema_problems_are_reported_at_once_with_paths(media: Path) -> None:
    data = manifest_dict(output={"width": 161, "height": 288, "fps": 0, "path": "o.mp4"})
    data["scenes"][0]["duration"] = -1
    data["extra"] = True
    problems = problems_of(data, media)
    assert len(problems) == 4
    assert [p.split(":")[0] for p in problems] == [
        "$", "$.output.fps", "$.output.width", "$.scenes[0].duration",
    ]  # fmt: skip


def test_semantic_problems(media: Path) -> None:
    data = manifest_dict(
        scenes=[
            {"image": "a.png", "duration": 0.2, "motion": "none"},
            {"image": "a.png", "duration": 0.4, "motion": "zoom_in"},
            {"image": "missing.png", "duration": 1.0, "motion": "none"},
        ],
        transition={"kind": "fade", "duration": 0.5},
        captions=[{"text": "x", "start": 1.0, "end": 1.0}],
        narration="v.wav",
        output={"width": 160, "height": 288, "fps": 15, "path": "v.wav.mp4"},
    )
    problems = problems_of(data, media)
    assert any(p.startswith("$.captions[0].end:") for p in problems)
    assert any(p.startswith("$.scenes[2].image:") and "no such file" in p for p in problems)
    fades = [p for p in problems if p.startswith("$.transition.duration:")]
    assert len(fades) == 1 and "scene 1" in fades[0]  # the first scene may be shorter
    assert len(problems) == 3


@pytest.mark.parametrize(
    "bad", ["../outside.png", "../../etc/passwd", "a/../../x.png", "/etc/passwd", "..", "."]
)
def test_paths_must_stay_inside_the_manifest_folder(media: Path, bad: str) -> None:
    (media.parent / "outside.png").write_bytes(b"x")
    data = manifest_dict(scenes=[{"image": bad, "duration": 1, "motion": "none"}])
    problems = problems_of(data, media)
    assert any(p.startswith("$.scenes[0].image") for p in problems)


def test_symlinked_files_inside_the_folder_are_allowed(media: Path, tmp_path_factory: Any) -> None:
    elsewhere = tmp_path_factory.mktemp("blobs") / "blob.png"
    picture(elsewhere, (16, 16), 0)
    (media / "link.png").symlink_to(elsewhere)
    (media / "sub").mkdir()
    data = manifest_dict(scenes=[{"image": "sub/../link.png", "duration": 1, "motion": "none"}])
    manifest = parse_manifest(data, media)
    assert manifest.input_paths == [media.resolve() / "link.png"]


def test_output_may_not_overwrite_an_input(media: Path) -> None:
    (media / "alias.mp4").symlink_to(media / "a.png")  # resolves to an input
    data = manifest_dict(output={"width": 160, "height": 288, "fps": 15, "path": "alias.mp4"})
    assert any("overwrite" in p for p in problems_of(data, media))
    shutil.copy(media / "a.png", media / "clip.mp4")
    data["output"]["path"] = "./x/../clip.mp4"  # lexically the same file as the input
    data["scenes"][0]["image"] = "clip.mp4"
    assert any("overwrite" in p for p in problems_of(data, media))


def test_load_rejects_bad_json_and_nan(media: Path) -> None:
    (media / "m.json").write_text("{nope", encoding="utf-8")
    with pytest.raises(ManifestError, match="not valid JSON"):
        load_manifest(media / "m.json")
    (media / "m.json").write_text(
        json.dumps(manifest_dict()).replace('"duration": 1.0', '"duration": NaN'), encoding="utf-8"
    )
    with pytest.raises(ManifestError, match="NaN"):
        load_manifest(media / "m.json")
    data = manifest_dict()
    data["scenes"][0]["duration"] = float("inf")
    assert any("finite" in p for p in problems_of(data, media))


def test_dump_round_trips(media: Path) -> None:
    data = manifest_dict(
        narration="v.wav",
        music={"path": "v.wav", "gain_db": -18.5, "duck": True},
        captions=[{"text": "a", "start": 0.0, "end": 0.5}],
        transition={"kind": "fade", "duration": 0.25},
    )
    manifest = parse_manifest(data, media)
    assert dump_manifest(manifest) == data
    assert parse_manifest(dump_manifest(manifest), media) == manifest
    assert manifest.duration == 1.0 and manifest.output_path == media.resolve() / "out.mp4"


# --- timeline, graph helpers ---------------------------------------------------------------


def test_fps_fractions() -> None:
    assert fps_fraction(30) == 30
    assert fps_fraction(29.97) == Fraction(30000, 1001)
    assert fps_fraction(23.976) == Fraction(24000, 1001)
    assert fps_fraction(12.5) == Fraction(25, 2)


def test_timeline_rounds_boundaries_not_durations() -> None:
    t = plan_timeline([1 / 3] * 9, 10)
    assert t.total_frames == 30 and sum(c.frames for c in t.clips) == 30
    fade = plan_timeline([1.0, 1.3, 0.7], 30, 0.4)
    assert fade.hold_frames == 12 and fade.total_frames == 90
    assert [(c.start_frame, c.frames) for c in fade.clips] == [(0, 42), (30, 51), (69, 21)]
    tiny = plan_timeline([0.01, 1.0], 30)
    assert [c.scene for c in tiny.clips] == [1]


def test_motion_filters_have_no_graph_separators() -> None:
    for motion in ("zoom_in", "zoom_out", "pan_left", "pan_right"):
        text = motion_filter(motion, 45, 1080, 1920)  # type: ignore[arg-type]
        assert "crop=w=1080:h=1920" in text
        for step in text.split(","):  # filters, none with characters the graph parser splits on
            assert not set(step) & set("[];'\\")
    assert motion_filter("none", 45, 1080, 1920) == ""


def test_escape_filter_value() -> None:
    assert escape_filter_value("/a b/c.ass") == "/a\\\\\\ b/c.ass"
    assert escape_filter_value("x:y") == "x\\\\:y"
    assert escape_filter_value("it's") == "it\\\\\\'s"
    assert escape_filter_value("a,b;c[d]") == "a\\,b\\;c\\[d\\]"
    assert escape_filter_value("back\\slash") == "back\\\\\\\\slash"


def test_image_sniffing(tmp_path: Path) -> None:
    sniff: Callable[[str, str], str | None] = lambda name, fmt: image_demuxer(  # noqa: E731
        picture(tmp_path / name, (8, 8), 0, fmt)
    )
    assert sniff("x.jpg", "PNG") == "png_pipe"
    assert sniff("y.png", "JPEG") == "jpeg_pipe"
    assert sniff("z.img", "WEBP") == "webp_pipe"
    assert sniff("w.img", "BMP") == "bmp_pipe"
