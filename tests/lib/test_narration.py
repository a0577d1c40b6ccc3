"""Narration: tiled segment spans, segment-owned word timings, loudness and atomic WAV output."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from reelforge.lib import loudness, wavio
from reelforge.lib.narration import Narration, narrate

TEXTS = [
    "You won't believe what happened next.",
    "In 1990, a scientist found a strange signal — nobody could explain it.",
    "And then, one night, it simply stopped.",
]


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> tuple[Narration, Path]:
    out = tmp_path_factory.mktemp("narration") / "narration.wav"
    return narrate(TEXTS, out, voice="en-us", rate_wpm=175), out


def test_segment_spans_tile_the_whole_duration(episode: tuple[Narration, Path]) -> None:
    n, _ = episode
    assert len(n.segments) == len(TEXTS)
    assert n.segments[0].start == 0.0
    assert n.segments[-1].end == n.duration
    for a, b in zip(n.segments, n.segments[1:], strict=False):
        assert a.end == b.start
    assert all(s.end - s.start > 0.5 for s in n.segments)


def test_words_belong_to_their_segments(episode: tuple[Narration, Path]) -> None:
    n, _ = episode
    for i, text in enumerate(TEXTS):
        # "—" is silent, so espeak reports no word for it.
        expected = [t for t in text.split() if t != "—"]
        assert [w.text for w in n.words if w.segment == i] == expected
    for w in n.words:
        span = n.segments[w.segment]
        assert span.start <= w.start < w.end <= span.end
    for a, b in zip(n.words, n.words[1:], strict=False):
        assert b.start >= a.end
    assert n.words[0].start >= 0.1  # the lead-in
    assert n.words[-1].end <= n.duration


def test_segments_are_separated_by_the_gap(tmp_path: Path) -> None:
    n = narrate(["One two.", "Three four."], tmp_path / "n.wav", "en-us", 200, gap_seconds=0.8)
    first_end = max(w.end for w in n.words if w.segment == 0)
    second_start = min(w.start for w in n.words if w.segment == 1)
    assert 0.8 <= second_start - first_end < 1.0
    assert n.segments[1].start <= second_start


def test_file_is_valid_16_bit_mono_wav(episode: tuple[Narration, Path]) -> None:
    n, path = episode
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (1, 2)
        assert wav.getframerate() == n.sample_rate
        assert wav.getnframes() / wav.getframerate() == pytest.approx(n.duration, abs=1e-9)
    audio, rate = wavio.read_wav(path)
    assert rate == n.sample_rate and audio.ndim == 1
    assert 20 * np.log10(np.abs(audio).max()) == pytest.approx(n.peak_dbfs, abs=0.01)


def test_loudness_measured_by_ffmpeg_is_on_target(episode: tuple[Narration, Path]) -> None:
    n, path = episode
    measured = loudness.measure(path)
    assert measured.integrated_lufs == pytest.approx(-16.0, abs=1.0)
    assert measured.true_peak_dbtp <= -1.5
    assert n.integrated_lufs == pytest.approx(measured.integrated_lufs, abs=0.5)
    assert n.peak_dbfs <= -1.5


def test_other_loudness_targets(tmp_path: Path) -> None:
    path = tmp_path / "quiet.wav"
    narrate(TEXTS[:1], path, "en-gb", 160, target_lufs=-23.0)
    assert loudness.measure(path).integrated_lufs == pytest.approx(-23.0, abs=1.0)


def test_atomic_write_leaves_only_the_target(tmp_path: Path) -> None:
    path = tmp_path / "n.wav"
    narrate(TEXTS[:1], path, "en-us", 175)
    narrate(TEXTS[:2], path, "en-us", 175)  # overwrite in place
    assert [p.name for p in tmp_path.iterdir()] == ["n.wav"]


def test_failed_write_keeps_the_old_file_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "n.wav"
    narrate(TEXTS[:1], path, "en-us", 175)
    before = path.read_bytes()

    def explode(samples: np.ndarray) -> np.ndarray:
        raise OSError("disk full")

    monkeypatch.setattr(wavio, "to_pcm16", explode)
    with pytest.raises(OSError, match="disk full"):
        narrate(TEXTS[1:2], path, "en-us", 175)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["n.wav"]


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one"):
        narrate([], tmp_path / "n.wav", "en-us", 175)
    with pytest.raises(ValueError, match="segment 1"):
        narrate(["Fine.", "   "], tmp_path / "n.wav", "en-us", 175)
    with pytest.raises(ValueError, match="espeak-ng --voices"):
        narrate(["Fine."], tmp_path / "n.wav", "xx-nope", 175)
    with pytest.raises(ValueError, match="gap_seconds"):
        narrate(["Fine."], tmp_path / "n.wav", "en-us", 175, gap_seconds=-1)
    assert not list(tmp_path.iterdir())


def test_wav_round_trip_is_exact_to_16_bits(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    stereo = rng.uniform(-1, 1, size=(1000, 2)).astype(np.float32)
    wavio.write_wav(tmp_path / "s.wav", stereo, 44100)
    back, rate = wavio.read_wav(tmp_path / "s.wav")
    assert rate == 44100 and back.shape == (1000, 2)
    assert np.abs(back - stereo).max() <= 0.5 / 32767 + 1e-7
    with pytest.raises(ValueError, match="NaN"):
        wavio.write_wav(tmp_path / "bad.wav", np.array([0.0, np.nan]), 8000)


def test_narration_is_byte_reproducible(tmp_path: Path) -> None:
    texts = ["The same words, spoken twice.", "Give the same file both times."]
    first = narrate(texts, tmp_path / "a.wav", voice="en-us", rate_wpm=170)
    second = narrate(texts, tmp_path / "b.wav", voice="en-us", rate_wpm=170)
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()
    assert first.words == second.words
