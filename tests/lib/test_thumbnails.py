"""Thumbnails (reelforge.lib.thumbnails, thumbnail_art): sizes, JPEG, the title, odd titles."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from qc_videos import ffmpeg

from reelforge.lib.artist import draw_scene
from reelforge.lib.thumbnail_art import LANDSCAPE, PORTRAIT, compose_thumbnail, cover_crop
from reelforge.lib.thumbnails import (
    MAX_JPEG_BYTES,
    ThumbnailError,
    caption_free_moment,
    frame_at,
    make_thumbnails,
    write_jpeg,
)

needs_ffmpeg = pytest.mark.skipif(shutil.which("ffmpeg") is None, reason="needs ffmpeg")
NIGHT = "a bright full moon over dark mountain silhouettes, magenta night sky, stars"


@pytest.fixture(scope="module")
def frame() -> Image.Image:
    return draw_scene(prompt=NIGHT, genre="space", width=180, height=320, seed=39)


def diff(a: Image.Image, b: Image.Image) -> np.ndarray:
    return np.abs(np.asarray(a, np.int16) - np.asarray(b, np.int16)).max(axis=2)


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT, (1080, 1080), (64, 16)])
@pytest.mark.parametrize("source", [(180, 320), (320, 180), (7, 1000)])
def test_cover_crop_fills_the_exact_size(size: tuple[int, int], source: tuple[int, int]) -> None:
    image = Image.new("RGB", source, (200, 10, 10))
    out = cover_crop(image, size)
    assert out.size == size and out.mode == "RGB"
    assert np.asarray(out)[..., 0].min() > 150, "no letterbox bars: the frame covers it all"


@pytest.mark.parametrize("size", [LANDSCAPE, PORTRAIT])
def test_title_changes_the_picture_where_the_text_goes(
    frame: Image.Image, size: tuple[int, int]
) -> None:
    plain = compose_thumbnail(frame, "", size)
    titled = compose_thumbnail(frame, "Why Is the Night Sky Dark?", size)
    assert titled.size == plain.size == size
    changed = diff(plain, titled) > 60
    assert changed.mean() > 0.03, "large title text should cover a visible share of the frame"
    # White fill: the brightest pixels are the title's, whatever the frame.
    assert np.asarray(titled).min(axis=2).max() >= 240


@pytest.mark.parametrize(
    "title",
    [
        "夜空はなぜ暗いのか？星は無数にあるのに",
        "لماذا السماء مظلمة في الليل؟",
        "Night sky 🌌✨🚀 explained",
        "Ünïcödé çåñ bé trîcky — 'quotes' & \"more\"",
        "A" * 400,
        "supercalifragilisticexpialidocious " * 20,
        "tab\tnew\nline\x00null",
    ],
)
def test_long_and_unicode_titles_draw_without_crashing(frame: Image.Image, title: str) -> None:
    for size in (LANDSCAPE, PORTRAIT):
        titled = compose_thumbnail(frame, title, size)
        assert titled.size == size
        assert (diff(compose_thumbnail(frame, "", size), titled) > 60).mean() > 0.01


def test_blank_title_gives_the_plain_frame(frame: Image.Image) -> None:
    blank = compose_thumbnail(frame, " \n\t", LANDSCAPE)
    assert diff(blank, compose_thumbnail(frame, "", LANDSCAPE)).max() == 0
    with pytest.raises(ValueError, match="at least 16x16"):
        compose_thumbnail(frame, "x", (8, 8))


def test_write_jpeg_is_atomic_and_under_the_size_cap(tmp_path: Path) -> None:
    noise = np.random.default_rng(0).integers(0, 256, (1920, 1080, 3), dtype=np.uint8)
    target = tmp_path / "t.jpg"
    size = write_jpeg(Image.fromarray(noise), target)
    assert size == target.stat().st_size <= MAX_JPEG_BYTES
    assert target.read_bytes()[:3] == b"\xff\xd8\xff"
    assert [p.name for p in tmp_path.iterdir()] == ["t.jpg"], "no temp files left behind"


def test_caption_free_moment() -> None:
    cues = [(0.0, 1.0), (1.0, 4.0), (4.1, 8.0)]  # 0.1 s pause: phrases hold across it
    assert caption_free_moment(10.0, cues, not_before=2.0) == pytest.approx(9.3)
    # No gap long enough: a third of the way in, but never inside the title card.
    assert caption_free_moment(9.0, [(0, 9)], not_before=1.0) == pytest.approx(3.0)
    assert caption_free_moment(9.0, [(0, 9)], not_before=5.0) == pytest.approx(5.0)
    # Captions stop early: the middle of the silent rest of the video.
    assert caption_free_moment(10.0, [(2, 3)], not_before=4.0) == pytest.approx(7.0)
    assert 0 <= caption_free_moment(0.0, [], not_before=0.0) <= 0.0


@needs_ffmpeg
def test_make_thumbnails_writes_both_jpegs_from_a_video(tmp_path: Path) -> None:
    video = tmp_path / "v.mp4"
    source = "testsrc2=size=180x320:rate=30:duration=2"
    ffmpeg("-f", "lavfi", "-i", source, "-c:v", "libx264", "-pix_fmt", "yuv420p", str(video))
    out = make_thumbnails(
        video, "A title", 1.0, {"landscape": tmp_path / "l.jpg", "portrait": tmp_path / "p.jpg"}
    )
    for kind, size in (("landscape", LANDSCAPE), ("portrait", PORTRAIT)):
        with Image.open(out[kind]) as image:
            assert image.format == "JPEG" and image.size == size
    with pytest.raises(ValueError, match="unknown thumbnail kinds"):
        make_thumbnails(video, "t", 1.0, {"square": tmp_path / "s.jpg"})
    with pytest.raises(ThumbnailError):
        frame_at(tmp_path / "missing.mp4", 0.0)
