"""QC of rendered videos (reelforge.lib.qc, qc_measure, platform_limits) on real small files."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
import yaml
from qc_videos import FPS, HEIGHT, WIDTH, ffmpeg, good_render, h264, manifest_of, variant

from reelforge.config import PLATFORMS
from reelforge.constants import DEFAULT_PLATFORMS, TARGET_LUFS
from reelforge.lib.platform_limits import (
    PlatformLimits,
    PlatformLimitsError,
    load_platform_limits,
    parse_platform_limits,
)
from reelforge.lib.qc import (
    CHECK_NAMES,
    Expected,
    Verdict,
    av_sync_verdict,
    black_verdict,
    caption_verdict,
    combine,
    expected_from_manifest,
    loudness_verdict,
    platform_verdict,
    video_verdicts,
)
from reelforge.lib.qc_measure import MeasureError, measure_video, moov_before_mdat

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
LIMITS = load_platform_limits(DEFAULT_PLATFORMS)


def judge(video: Path, manifest: dict, platforms: tuple[str, ...] = ("outbox",)) -> dict:
    facts = measure_video(video)
    return video_verdicts(facts, expected_from_manifest(manifest), platforms, LIMITS, TARGET_LUFS)


def failed(verdicts: dict[str, Verdict]) -> set[str]:
    return {name for name, v in verdicts.items() if not v.passed}


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return good_render(tmp_path_factory.mktemp("qc"))


# --- real files --------------------------------------------------------------------------


@needs_ffmpeg
def test_a_good_render_of_dark_night_scenes_passes_every_check(good: Path) -> None:
    verdicts = judge(good, manifest_of(good))
    assert set(verdicts) == set(CHECK_NAMES)
    assert failed(verdicts) == set(), {n: v.reason for n, v in verdicts.items()}
    assert verdicts["no_black_stretch"].numbers["black_stretches"] == 0
    assert abs(float(verdicts["loudness"].numbers["integrated_lufs"]) - TARGET_LUFS) <= 1.0
    spec = verdicts["encoding_spec"].numbers
    assert (spec["width"], spec["height"]) == (WIDTH, HEIGHT)


@needs_ffmpeg
def test_acceptance_wrong_size_silent_audio_and_black_middle_all_fail(good: Path) -> None:
    broken = good.parent / "broken.mp4"
    ffmpeg("-i", str(good), "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo",
           "-map", "0:v", "-map", "1:a", "-shortest",
           *h264("-vf", "scale=176:320,drawbox=enable='between(t,2,3.5)':color=black:t=fill"),
           str(broken))  # fmt: skip
    verdicts = judge(broken, manifest_of(good))
    assert {"encoding_spec", "loudness", "no_black_stretch"} <= failed(verdicts)
    assert "size is 176x320, expected 180x320" in verdicts["encoding_spec"].reason
    assert "silent" in verdicts["loudness"].reason
    assert "black picture" in verdicts["no_black_stretch"].reason
    assert float(verdicts["no_black_stretch"].numbers["longest_black_s"]) >= 1.4


@needs_ffmpeg
@pytest.mark.parametrize(
    ("name", "args", "check", "reason"),
    [
        ("size.mp4", h264("-vf", "scale=320:180"), "encoding_spec", "size is 320x180"),
        ("fps.mp4", h264("-r", "25"), "encoding_spec", "frame rate is 25 fps, expected 30"),
        ("codec.mkv", ["-c:v", "mpeg4", "-c:a", "mp2"], "encoding_spec", "video codec is mpeg4"),
        ("slow.mp4", ["-c", "copy"], "encoding_spec", "moov"),
        ("pix.mp4", ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv444p",
                     "-c:a", "copy", "-movflags", "+faststart"],
         "encoding_spec", "pixel format is yuv444p"),
        ("black.mp4", h264("-vf", "drawbox=enable='between(t,1,2.2)':color=black:t=fill"),
         "no_black_stretch", "black picture"),
        ("loud.mp4", h264("-af", "volume=9dB"), "loudness", "from the -14 LUFS target"),
        ("quiet.mp4", h264("-af", "volume=-6dB"), "loudness", "from the -14 LUFS target"),
        ("short_audio.mp4", h264("-af", "atrim=end=5"), "av_sync", "video is 1.0"),
    ],
)  # fmt: skip
def test_each_broken_variant_fails_its_check_with_a_clear_reason(
    good: Path, name: str, args: list[str], check: str, reason: str
) -> None:
    verdicts = judge(variant(good, name, *args), manifest_of(good))
    assert not verdicts[check].passed
    assert reason in verdicts[check].reason, verdicts[check].reason


@needs_ffmpeg
def test_a_video_without_audio_fails_spec_sync_and_loudness(good: Path) -> None:
    mute = variant(good, "mute.mp4", "-an", "-c:v", "copy", "-movflags", "+faststart")
    verdicts = judge(mute, manifest_of(good))
    assert {"encoding_spec", "av_sync", "loudness"} <= failed(verdicts)
    assert "no audio stream" in verdicts["av_sync"].reason


@needs_ffmpeg
def test_platform_limits_use_the_channel_platforms(good: Path) -> None:
    verdicts = judge(good, manifest_of(good), platforms=("outbox", "tiktok", "mars_tv"))
    reason = verdicts["platform_limits"].reason
    assert not verdicts["platform_limits"].passed
    assert "tiktok: smallest side 180 px is below 360 px" in reason
    assert "mars_tv: no limits configured" in reason


@needs_ffmpeg
def test_measure_video_reports_unreadable_files(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video")
    with pytest.raises(Exception, match=r"junk\.mp4"):
        measure_video(junk)
    assert not moov_before_mdat(junk)
    assert issubclass(MeasureError, RuntimeError)


# --- pure verdicts -----------------------------------------------------------------------


def test_caption_timing() -> None:
    assert caption_verdict([(0.0, 0.5), (0.5, 1.0)], 1.0, FPS).passed
    # One frame of slack at the end: captions are timed in ms, frames in 1/30 s.
    assert caption_verdict([(0.0, 1.03)], 1.0, FPS).passed
    late = caption_verdict([(0.0, 0.5), (0.9, 1.2)], 1.0, FPS)
    assert not late.passed and "after the video" in late.reason
    backwards = caption_verdict([(0.5, 0.6), (0.2, 0.3)], 2.0, FPS)
    assert not backwards.passed and "before caption 0" in backwards.reason
    empty = caption_verdict([(0.5, 0.5)], 2.0, FPS)
    assert not empty.passed and "not after its start" in empty.reason
    many = caption_verdict([(float(i), float(i)) for i in range(10)], 20.0, FPS)
    assert "and 7 more" in many.reason


def test_loudness_edges() -> None:
    assert loudness_verdict(-14.9, -1.0, -14.0).passed
    assert not loudness_verdict(-15.1, -3.0, -14.0).passed
    peak = loudness_verdict(-14.0, -0.5, -14.0)
    assert not peak.passed and "true peak -0.5 dBTP is over -1 dBTP" in peak.reason
    silent = loudness_verdict(-math.inf, -math.inf, -14.0)
    assert not silent.passed and silent.numbers["integrated_lufs"] == -99.0
    assert not loudness_verdict(None, None, -14.0).passed


def test_av_sync_and_black_edges() -> None:
    assert av_sync_verdict(10.0, 10.09).passed
    assert "audio is 0.200 s longer" in av_sync_verdict(10.0, 10.2).reason
    assert black_verdict([(1.0, 1.5)]).passed  # shorter than a second: a dip, not a hole
    assert not black_verdict([(1.0, 2.0)]).passed


def test_platform_verdict_duration_bounds() -> None:
    limits = {"p": PlatformLimits(min_seconds=3, max_seconds=60, min_fps=23, max_fps=60)}
    assert platform_verdict(30, 30, 1080, 1920, ["p"], limits).passed
    assert "outside 3-60 s" in platform_verdict(61, 30, 1080, 1920, ["p"], limits).reason
    assert "outside 3-60 s" in platform_verdict(2, 30, 1080, 1920, ["p"], limits).reason
    assert "fps is outside" in platform_verdict(30, 15, 1080, 1920, ["p"], limits).reason


def test_combine_names_the_failing_aspect() -> None:
    ok, bad = Verdict(True, "fine", {"x": 1}), Verdict(False, "broken", {"x": 2})
    assert combine({"9:16": ok}) is ok
    both = combine({"9:16": ok, "16:9": bad})
    assert not both.passed and both.reason == "16:9: broken"
    assert both.numbers == {"9:16 x": 1, "16:9 x": 2}
    assert not combine({}).passed


def test_expected_from_manifest() -> None:
    manifest = {"output": {"width": 180, "height": 320, "fps": 30}, "captions": [
        {"text": "a", "start": 0, "end": 0.5}]}  # fmt: skip
    assert expected_from_manifest(manifest) == Expected(180, 320, 30.0, ((0.0, 0.5),))


# --- the platforms file ------------------------------------------------------------------


def test_platforms_file_covers_every_platform_a_channel_may_use() -> None:
    assert set(PLATFORMS) <= set(LIMITS)
    assert LIMITS["youtube"].max_seconds == 180  # Shorts may run 3 minutes since 2024


def test_platforms_file_errors_list_every_problem(tmp_path: Path) -> None:
    with pytest.raises(PlatformLimitsError) as err:
        parse_platform_limits(
            {"platforms": {"a": {"min_seconds": 5, "max_seconds": 2}, "b": {"max_secs": 1}}}
        )
    text = str(err.value)
    assert "max_seconds must be greater than min_seconds" in text
    assert "platforms.b.max_secs" in text
    bad = tmp_path / "p.yaml"
    bad.write_text(yaml.safe_dump({"platforms": "nope"}))
    with pytest.raises(PlatformLimitsError, match="platforms"):
        load_platform_limits(bad)
