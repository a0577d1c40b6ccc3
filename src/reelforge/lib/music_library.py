"""A licensed music library: a folder of audio files described by `tracks.csv`.

Columns: file, title, artist, mood, bpm, licence, attribution, url. A row with an empty
licence is refused (never used): a track without licence evidence must not reach a video.
Rows whose file is missing or outside the folder are refused too. The track for an episode
is picked deterministically from the rows of its mood by the episode's seed, then looped
(crossfaded at the seam) or trimmed to the bed length and normalised.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from reelforge.lib import music_fit
from reelforge.lib.music import Music

INDEX = "tracks.csv"
COLUMNS = ("file", "title", "artist", "mood", "bpm", "licence", "attribution", "url")


class LibraryError(ValueError):
    """The library cannot serve this request (unreadable index, no usable track for a mood)."""


@dataclass(frozen=True)
class Track:
    file: str
    title: str
    artist: str
    mood: str
    bpm: int
    licence: str
    attribution: str
    url: str

    def licence_record(self) -> dict[str, str]:
        """The licence evidence that travels with the bed (and into the video's records)."""
        return {
            "title": self.title,
            "composer": self.artist,
            "licence": self.licence,
            "attribution": self.attribution,
            "url": self.url,
            "source": "library",
            "file": self.file,
            "mood": self.mood,
        }


@dataclass(frozen=True)
class Library:
    folder: Path
    tracks: tuple[Track, ...]
    refused: tuple[str, ...]  # "row N: why", for the operator

    def path(self, track: Track) -> Path:
        return self.folder / track.file

    def pick(self, mood: str, seed: int) -> Track:
        """The track for (mood, seed): the same inputs and library give the same track."""
        rows = sorted((t for t in self.tracks if t.mood == mood.lower()), key=lambda t: t.file)
        if not rows:
            raise LibraryError(f"no licensed track for mood {mood!r} in {self.folder}")
        digest = hashlib.sha256(f"reelforge-library:{mood}:{seed}".encode()).digest()
        return rows[int.from_bytes(digest[:8], "little") % len(rows)]


def load(folder: Path) -> Library:
    """Read `folder/tracks.csv`, keeping only rows with licence evidence and an audio file."""
    folder = Path(folder).expanduser().resolve()
    index = folder / INDEX
    try:
        with open(index, encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
            if missing:
                raise LibraryError(f"{index} lacks columns: {', '.join(missing)}")
            rows = list(reader)
    except OSError as exc:
        raise LibraryError(f"cannot read music library index {index}: {exc.strerror}") from None
    tracks, refused = [], []
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        values = {c: (row.get(c) or "").strip() for c in COLUMNS}
        problem = _problem(folder, values)
        if problem:
            refused.append(f"row {number}: {problem}")
            continue
        tracks.append(Track(**{**values, "mood": values["mood"].lower(), "bpm": _bpm(values)}))  # type: ignore[arg-type]
    return Library(folder, tuple(tracks), tuple(refused))


def _bpm(values: dict[str, str]) -> int:
    try:
        return max(0, round(float(values["bpm"])))
    except ValueError:
        return 0  # unknown tempo does not make a track unusable


def _problem(folder: Path, values: dict[str, str]) -> str:
    if not values["licence"]:
        return "no licence (tracks without licence evidence are never used)"
    if not values["file"] or not values["mood"]:
        return "file and mood are required"
    name = values["file"]
    if "\x00" in name or "\\" in name or Path(name).is_absolute():
        # NUL made resolve() raise (one bad row sank the whole library); a backslash is a
        # Windows separator that means a different file here.
        return "file must be a relative path inside the library folder"
    try:
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):
            return "file is outside the library folder"
        if not path.is_file():
            return "file not found"
    except OSError as exc:  # e.g. ENAMETOOLONG from stat(): refuse the row, keep the rest
        return f"file cannot be read ({exc.strerror or type(exc).__name__})"
    return ""


def render(library: Library, track: Track, seconds: float, out_wav: Path, seed: int = 0) -> Music:
    """The bed from `track`: looped or trimmed to `seconds`, normalised, written atomically."""
    try:
        audio = music_fit.decode(library.path(track))
    except music_fit.AudioDecodeError as exc:
        raise LibraryError(f"{track.file}: {exc}") from None
    duration = music_fit.fit_bed(audio, seconds, out_wav)
    return Music(
        duration=duration,
        sample_rate=music_fit.SAMPLE_RATE,
        mood=track.mood,
        bpm=track.bpm,
        key="",
        licence={**track.licence_record(), "seed": str(seed)},
    )
