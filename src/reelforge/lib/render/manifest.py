"""Render manifests (contract render_manifest v1, and v2): typed values, loading, dumping.

A manifest describes one video; every path in it is relative to the folder holding it, so a
manifest folder is a self-contained, reproducible render job. Validation lives in `validate`.
Version 2 = version 1 + an optional `clip` per scene (a video shown instead of the still);
a manifest without clips is, and is dumped as, version 1.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from reelforge.lib.captions import Cue
from reelforge.lib.models import Motion
from reelforge.lib.render.validate import validation_problems

TransitionKind = Literal["none", "fade"]


class ManifestError(ValueError):
    """A manifest that breaks the contract; `problems` lists every violation with its path."""

    def __init__(self, problems: list[str], source: str = "render manifest") -> None:
        self.problems = list(problems)
        listing = "\n".join(f"  - {p}" for p in self.problems)
        count = len(self.problems)
        super().__init__(f"invalid {source} ({count} problem{'s' * (count != 1)}):\n{listing}")


@dataclass(frozen=True)
class Output:
    width: int
    height: int
    fps: float
    path: str


@dataclass(frozen=True)
class SceneSpec:
    image: str
    duration: float
    motion: Motion
    clip: str | None = None  # v2: a video shown instead of the still (motion does not apply)


@dataclass(frozen=True)
class Transition:
    kind: TransitionKind
    duration: float

    @property
    def fade_seconds(self) -> float:
        """Length of the cross-fade between scenes; 0 when scenes are simply cut together."""
        return self.duration if self.kind == "fade" else 0.0


@dataclass(frozen=True)
class Music:
    path: str
    gain_db: float
    duck: bool


@dataclass(frozen=True)
class Manifest:
    """A validated manifest; `base_dir` is the folder its relative paths are resolved against."""

    base_dir: Path
    output: Output
    scenes: tuple[SceneSpec, ...]
    transition: Transition
    captions: tuple[Cue, ...]
    integrated_lufs: float
    narration: str | None = None
    music: Music | None = None

    @property
    def duration(self) -> float:
        """The video lasts exactly the sum of the scene durations."""
        return sum(s.duration for s in self.scenes)

    def resolve(self, relpath: str) -> Path:
        """Absolute path of a manifest path (normalised lexically, as validation checked it)."""
        return self.base_dir / posixpath.normpath(relpath)

    @property
    def output_path(self) -> Path:
        return self.resolve(self.output.path)

    @property
    def input_paths(self) -> list[Path]:
        paths = [self.resolve(s.image) for s in self.scenes]
        paths += [self.resolve(s.clip) for s in self.scenes if s.clip is not None]
        if self.narration is not None:
            paths.append(self.resolve(self.narration))
        if self.music is not None:
            paths.append(self.resolve(self.music.path))
        return paths


def parse_manifest(data: Any, base_dir: Path) -> Manifest:
    """Validate a decoded v1/v2 manifest (schema and semantics) and build the typed value."""
    base = Path(base_dir).resolve()
    problems = validation_problems(data, base)
    if problems:
        raise ManifestError(problems)
    out = data["output"]
    music = data.get("music")
    mix = None if music is None else Music(music["path"], float(music["gain_db"]), music["duck"])
    return Manifest(
        base_dir=base,
        output=Output(out["width"], out["height"], float(out["fps"]), out["path"]),
        scenes=tuple(
            SceneSpec(s["image"], float(s["duration"]), s["motion"], s.get("clip"))
            for s in data["scenes"]
        ),
        transition=Transition(data["transition"]["kind"], float(data["transition"]["duration"])),
        captions=tuple(
            Cue(c["text"], float(c["start"]), float(c["end"])) for c in data["captions"]
        ),
        integrated_lufs=float(data["loudness"]["integrated_lufs"]),
        narration=data.get("narration"),
        music=mix,
    )


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number")


def load_manifest(path: Path) -> Manifest:
    """Read and validate a manifest file; its folder is the base of every relative path."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError([f"$: cannot read {path}: {exc}"], source=str(path)) from exc
    try:
        # NaN and Infinity are not JSON, and would slip through numeric range checks.
        data = json.loads(text, parse_constant=_reject_constant)
    except ValueError as exc:
        raise ManifestError([f"$: not valid JSON: {exc}"], source=str(path)) from exc
    try:
        return parse_manifest(data, path.parent)
    except ManifestError as exc:
        raise ManifestError(exc.problems, source=str(path)) from None


def dump_manifest(manifest: Manifest) -> dict[str, Any]:
    """The dict of a manifest, v1 unless a scene has a clip (parse_manifest(dump_manifest(m),
    m.base_dir) == m)."""
    out = manifest.output
    scenes: list[dict[str, Any]] = [
        {"image": s.image, "duration": s.duration, "motion": s.motion} for s in manifest.scenes
    ]
    for scene, spec in zip(scenes, manifest.scenes, strict=True):
        if spec.clip is not None:
            scene["clip"] = spec.clip
    data: dict[str, Any] = {
        "version": 2 if any(s.clip is not None for s in manifest.scenes) else 1,
        "output": {"width": out.width, "height": out.height, "fps": out.fps, "path": out.path},
        "scenes": scenes,
        "transition": {"kind": manifest.transition.kind, "duration": manifest.transition.duration},
        "captions": [{"text": c.text, "start": c.start, "end": c.end} for c in manifest.captions],
        "loudness": {"integrated_lufs": manifest.integrated_lufs},
    }
    if manifest.narration is not None:
        data["narration"] = manifest.narration
    if manifest.music is not None:
        m = manifest.music
        data["music"] = {"path": m.path, "gain_db": m.gain_db, "duck": m.duck}
    return data
