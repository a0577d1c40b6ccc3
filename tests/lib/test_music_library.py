"""Licensed music library: licence evidence required, deterministic picks, exact-length beds."""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import numpy as np
import pytest

from reelforge.lib import loudness, music, music_fit, wavio
from reelforge.lib.music_library import COLUMNS, LibraryError, load, render

ROWS = [
    # file, title, artist, mood, bpm, licence, attribution, url
    ("calm_a.wav", "Still Water", "A. Composer", "calm", "72", "CC-BY-4.0",
     "Still Water by A. Composer (CC BY 4.0)", "https://example.org/a"),
    ("calm_b.mp3", "Low Tide", "B. Composer", "Calm", "70", "Pixabay Content License",
     "", "https://example.org/b"),
    ("calm_c.wav", "Unlicensed", "C. Nobody", "calm", "75", "", "", ""),  # refused
    ("epic_a.wav", "Rising", "D. Composer", "epic", "100", "CC0-1.0", "", ""),
    ("missing.wav", "Gone", "E. Composer", "calm", "80", "CC0-1.0", "", ""),  # refused
    ("../outside.wav", "Escape", "F. Composer", "calm", "80", "CC0-1.0", "", ""),  # refused
]  # fmt: skip


@pytest.fixture(scope="module")
def library_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small library made with the local synthesiser (no binary audio lives in git)."""
    root = tmp_path_factory.mktemp("library")
    folder = root / "lib"
    for name, mood, seed in (("calm_a", "calm", 1), ("calm_c", "calm", 3), ("epic_a", "epic", 4)):
        music.compose(mood, 4.0, seed, folder / f"{name}.wav")
    music.compose("calm", 5.0, 2, root / "b.wav")
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(root / "b.wav")]
    subprocess.run([*cmd, "-codec:a", "libmp3lame", str(folder / "calm_b.mp3")], check=True)
    music.compose("calm", 2.0, 9, root / "outside.wav")
    with open(folder / "tracks.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(ROWS)
    return folder


def test_rows_without_licence_or_file_are_refused(library_dir: Path) -> None:
    lib = load(library_dir)
    assert sorted(t.file for t in lib.tracks) == ["calm_a.wav", "calm_b.mp3", "epic_a.wav"]
    reasons = "\n".join(lib.refused)
    assert "row 4: no licence" in reasons
    assert "row 6: file not found" in reasons and "row 7: file is outside" in reasons
    assert all(t.licence for t in lib.tracks)


def test_picks_are_deterministic_and_stay_in_the_mood(library_dir: Path) -> None:
    lib = load(library_dir)
    picks = [lib.pick("calm", seed).file for seed in range(12)]
    assert picks == [lib.pick("calm", seed).file for seed in range(12)]
    assert set(picks) == {"calm_a.wav", "calm_b.mp3"}  # both licensed calm tracks, never c
    assert lib.pick("EPIC", 5).file == "epic_a.wav"
    with pytest.raises(LibraryError, match="no licensed track for mood 'dark'"):
        lib.pick("dark", 1)


@pytest.mark.parametrize(("file", "seconds"), [("calm_a.wav", 9.5), ("calm_b.mp3", 3.25)])
def test_render_loops_or_trims_to_the_exact_length_at_bed_loudness(
    library_dir: Path, tmp_path: Path, file: str, seconds: float
) -> None:
    lib = load(library_dir)
    track = next(t for t in lib.tracks if t.file == file)
    out = tmp_path / "bed.wav"
    bed = render(lib, track, seconds, out, seed=7)
    audio, rate = wavio.read_wav(out)
    assert rate == 44100 and audio.shape == (round(seconds * 44100), 2)
    assert bed.duration == pytest.approx(seconds)
    assert abs(loudness.integrated_lufs(audio, rate) - music.TARGET_LUFS) < 0.5
    assert bed.licence["licence"] == track.licence and bed.licence["source"] == "library"
    assert bed.licence["title"] == track.title and bed.licence["url"] == track.url
    assert bed.bpm == track.bpm and bed.mood == "calm"


def test_loop_crossfades_the_seam_instead_of_cutting() -> None:
    rng = np.random.default_rng(0)
    audio = rng.uniform(-0.5, 0.5, size=(1000, 2)).astype(np.float32)
    out = music_fit.loop_to_length(audio, 2500, crossfade=100)
    assert out.shape == (2500, 2)
    np.testing.assert_array_equal(out[:900], audio[:900])
    np.testing.assert_array_equal(out[1000:1800], audio[100:900])  # the second pass
    seam = out[900:1000]
    assert not np.allclose(seam, audio[900:1000]) and not np.allclose(seam, audio[:100])
    # Equal power: the blend starts at the old tail and ends at the new head.
    np.testing.assert_allclose(seam[0], audio[900], atol=1e-6)
    np.testing.assert_allclose(seam[-1], audio[99], atol=1e-6)


def test_unreadable_libraries_fail_clearly(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="cannot read music library index"):
        load(tmp_path)
    (tmp_path / "tracks.csv").write_text("file,title\nx.wav,X\n")
    with pytest.raises(LibraryError, match="lacks columns: artist, mood"):
        load(tmp_path)
    with pytest.raises(music_fit.AudioDecodeError):
        music_fit.decode(b"definitely not audio" * 10)
