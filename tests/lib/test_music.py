"""Music beds: deterministic, seeded, mood-specific stereo WAVs at background loudness."""

from __future__ import annotations

import time
import wave
from pathlib import Path

import numpy as np
import pytest

from reelforge.lib import loudness, wavio
from reelforge.lib.music import MOODS, Music, compose


@pytest.fixture(scope="module")
def upbeat_minute(tmp_path_factory: pytest.TempPathFactory) -> tuple[Music, Path, float]:
    path = tmp_path_factory.mktemp("music") / "upbeat.wav"
    started = time.perf_counter()
    music = compose("upbeat", 60.0, seed=11, out_wav=path)
    return music, path, time.perf_counter() - started


def test_same_inputs_give_byte_identical_files(tmp_path: Path) -> None:
    a = compose("epic", 6.0, seed=3, out_wav=tmp_path / "a.wav")
    b = compose("epic", 6.0, seed=3, out_wav=tmp_path / "b.wav")
    assert a == b
    assert (tmp_path / "a.wav").read_bytes() == (tmp_path / "b.wav").read_bytes()


def test_different_seeds_give_different_music(tmp_path: Path) -> None:
    beds = [compose("calm", 4.0, seed=s, out_wav=tmp_path / f"{s}.wav") for s in range(6)]
    files = {(tmp_path / f"{s}.wav").read_bytes() for s in range(6)}
    assert len(files) == 6
    assert len({(m.key, m.bpm) for m in beds}) > 1
    left_0, _ = wavio.read_wav(tmp_path / "0.wav")
    left_1, _ = wavio.read_wav(tmp_path / "1.wav")
    # Not just a different dither: the two signals are essentially uncorrelated.
    assert abs(np.corrcoef(left_0[:, 0], left_1[:, 0])[0, 1]) < 0.5


def test_moods_differ_in_tempo_and_mode(tmp_path: Path) -> None:
    beds = {m: compose(m, 3.0, seed=5, out_wav=tmp_path / f"{m}.wav") for m in MOODS}
    assert len({b.bpm for b in beds.values()}) == len(MOODS)
    assert beds["upbeat"].bpm > beds["calm"].bpm > beds["dark"].bpm
    assert beds["dark"].key.endswith("minor") and beds["mysterious"].key.endswith("minor")
    assert beds["upbeat"].key.endswith("major")


@pytest.mark.parametrize(("seconds", "rate"), [(7.3, 44100), (2.05, 22050), (0.3, 48000)])
def test_duration_is_exact_to_the_sample(tmp_path: Path, seconds: float, rate: int) -> None:
    path = tmp_path / "bed.wav"
    music = compose("mysterious", seconds, seed=1, out_wav=path, sample_rate=rate)
    with wave.open(str(path), "rb") as wav:
        assert wav.getnframes() == round(seconds * rate)
        assert wav.getframerate() == rate == music.sample_rate
    assert music.duration == round(seconds * rate) / rate


def test_stereo_bed_at_background_loudness(upbeat_minute: tuple[Music, Path, float]) -> None:
    music, path, _ = upbeat_minute
    with wave.open(str(path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth()) == (2, 2)
    audio, _ = wavio.read_wav(path)
    assert not np.array_equal(audio[:, 0], audio[:, 1])
    measured = loudness.measure(path)
    assert measured.integrated_lufs == pytest.approx(-20.0, abs=1.0)
    assert measured.true_peak_dbtp <= -1.0
    assert music.duration == 60.0


def test_fades_in_and_out(upbeat_minute: tuple[Music, Path, float]) -> None:
    _, path, _ = upbeat_minute
    audio, rate = wavio.read_wav(path)
    assert np.abs(audio[0]).max() == 0.0 and np.abs(audio[-1]).max() == 0.0
    middle = np.sqrt(np.mean(audio[30 * rate : 31 * rate] ** 2))
    assert np.sqrt(np.mean(audio[: rate // 20] ** 2)) < 0.05 * middle
    assert np.sqrt(np.mean(audio[-rate // 20 :] ** 2)) < 0.05 * middle


def test_beat_matches_the_reported_tempo(upbeat_minute: tuple[Music, Path, float]) -> None:
    music, path, _ = upbeat_minute
    audio, rate = wavio.read_wav(path)
    hop = rate // 200  # 5 ms frames
    mono = audio.mean(axis=1)[: len(audio) // hop * hop]
    energy = np.sqrt(np.mean(mono.reshape(-1, hop) ** 2, axis=1))
    onsets = np.maximum(np.diff(energy), 0.0)
    onsets -= onsets.mean()
    spectrum = np.abs(np.fft.rfft(onsets, n=1 << 16))
    freqs = np.fft.rfftfreq(1 << 16, d=hop / rate)
    band = (freqs > 1.0) & (freqs < 2.5)  # 60-150 bpm
    beat_hz = freqs[band][np.argmax(spectrum[band])]
    assert beat_hz * 60 == pytest.approx(music.bpm, rel=0.03)


def test_a_minute_bed_has_the_exact_length(upbeat_minute: tuple[Music, Path, float]) -> None:
    # Speed is for benchmarks, never asserted in tests (shared CI machines vary).
    music, path, _ = upbeat_minute
    with wave.open(str(path)) as wav:
        assert wav.getnframes() == round(60 * music.sample_rate)


def test_licence_record(tmp_path: Path) -> None:
    music = compose("dark", 2.0, seed=-42, out_wav=tmp_path / "d.wav")
    assert music.licence["composer"] == "reelforge synthesiser"
    assert music.licence["licence"] == "CC0-1.0"
    assert music.licence["source"] == "generated"
    assert (music.licence["seed"], music.licence["mood"]) == ("-42", "dark")
    assert music.licence["title"]


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="calm, upbeat, mysterious, epic, dark"):
        compose("jazzy", 5.0, seed=1, out_wav=tmp_path / "x.wav")
    with pytest.raises(ValueError, match="seconds"):
        compose("calm", 0.0, seed=1, out_wav=tmp_path / "x.wav")
    assert not list(tmp_path.iterdir())
