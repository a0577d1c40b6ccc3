"""Validation of render manifests: the JSON schema plus the rules a schema cannot express.

Every problem is reported, not just the first, each prefixed with its JSON path, so a broken
manifest can be fixed in one go. File paths are checked lexically: after normalising, a path
must stay inside the manifest folder (no `..` escape, no absolute path); the file itself may be
a symlink, as the media store hard- or soft-links blobs into episode folders.

Version 1 (stills) is the public contract; version 2 adds `scenes[].clip` (a video shown
instead of the still) and is checked against its own schema, so v1 stays exactly as it was.
"""

from __future__ import annotations

import json
import math
import os
import posixpath
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

SCHEMA_PACKAGE = "reelforge.contracts"
SCHEMA_NAME = "render_manifest.v1.schema.json"
SCHEMA_NAMES = {1: SCHEMA_NAME, 2: "render_manifest.v2.schema.json"}

PathParts = tuple[str | int, ...]


@cache
def schema(version: int = 1) -> dict[str, Any]:
    """The render manifest JSON schema of `version` (1 or 2) shipped with the package."""
    name = SCHEMA_NAMES[version]
    text = resources.files(SCHEMA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


@cache
def _validator(version: int = 1) -> Draft202012Validator:
    return Draft202012Validator(schema(version))


def _version_of(data: Any) -> int:
    # Anything but an explicit 2 is judged by v1, whose errors then name the bad version.
    version = data.get("version") if isinstance(data, dict) else None
    return 2 if version == 2 and not isinstance(version, bool) else 1


def json_path(parts: PathParts) -> str:
    out = "$"
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else f".{p}"
    return out


def _sort_key(parts: PathParts) -> tuple[tuple[int, int, str], ...]:
    # Indices sort numerically (scenes[2] before scenes[10]), names alphabetically.
    return tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in parts)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def contained(relpath: str) -> str | None:
    """The lexically normalised form of a relative path, or None if it leaves its folder."""
    if not relpath or "\x00" in relpath or posixpath.isabs(relpath):
        return None
    norm = posixpath.normpath(relpath)
    if norm in (".", "..") or norm.startswith("../"):
        return None
    return norm


def _is_file(path: Path, *, directory: bool = False) -> bool:
    try:
        return path.is_dir() if directory else path.is_file()
    except OSError:  # e.g. a name too long for the file system
        return False


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _nonfinite(value: Any, parts: PathParts) -> Iterator[tuple[PathParts, str]]:
    if isinstance(value, float) and not math.isfinite(value):
        yield parts, f"{value} is not a finite number"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _nonfinite(item, (*parts, str(key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _nonfinite(item, (*parts, i))


def _caption_problems(data: dict[str, Any]) -> Iterator[tuple[PathParts, str]]:
    captions = data.get("captions")
    for i, cue in enumerate(captions if isinstance(captions, list) else []):
        if not isinstance(cue, dict):
            continue
        start, end = cue.get("start"), cue.get("end")
        if _is_number(start) and _is_number(end) and end <= start:
            yield ("captions", i, "end"), f"end ({end}) must be greater than start ({start})"


def _fade_problems(data: dict[str, Any]) -> Iterator[tuple[PathParts, str]]:
    transition, scenes = data.get("transition"), data.get("scenes")
    if not isinstance(transition, dict) or not isinstance(scenes, list):
        return
    fade = transition.get("duration")
    if transition.get("kind") != "fade" or not _is_number(fade) or fade <= 0:
        return
    for k, scene in enumerate(scenes[1:], start=1):
        duration = scene.get("duration") if isinstance(scene, dict) else None
        if _is_number(duration) and fade >= duration:
            yield (
                ("transition", "duration"),
                f"fade of {fade} s must be shorter than scene {k} "
                f"({json_path(('scenes', k, 'duration'))} = {duration} s)",
            )


def _input_refs(data: dict[str, Any]) -> Iterator[tuple[PathParts, Any]]:
    scenes = data.get("scenes")
    for i, scene in enumerate(scenes if isinstance(scenes, list) else []):
        if isinstance(scene, dict) and "image" in scene:
            yield ("scenes", i, "image"), scene["image"]
        if isinstance(scene, dict) and "clip" in scene:
            yield ("scenes", i, "clip"), scene["clip"]
    if "narration" in data:
        yield ("narration",), data["narration"]
    music = data.get("music")
    if isinstance(music, dict) and "path" in music:
        yield ("music", "path"), music["path"]


def _file_problems(data: dict[str, Any], base: Path) -> Iterator[tuple[PathParts, str]]:
    inputs: list[tuple[str, Path]] = []
    for parts, rel in _input_refs(data):
        if not isinstance(rel, str):
            continue  # the schema reports the wrong type
        norm = contained(rel)
        if norm is None:
            yield parts, f"{rel!r} is not a relative path inside the manifest folder"
        elif not _is_file(base / norm):
            yield parts, f"{rel!r}: no such file in {base}"
        else:
            inputs.append((norm, base / norm))
    output = data.get("output")
    rel = output.get("path") if isinstance(output, dict) else None
    if not isinstance(rel, str):
        return
    norm = contained(rel)
    if norm is None:
        yield ("output", "path"), f"{rel!r} is not a relative path inside the manifest folder"
        return
    target = base / norm
    if _is_file(target, directory=True):
        yield ("output", "path"), f"{rel!r} is a directory"
    for in_norm, in_path in inputs:
        if in_norm == norm or _same_file(target, in_path):
            yield ("output", "path"), f"{rel!r} would overwrite the input {in_norm!r}"
            break


def validation_problems(data: Any, base: Path) -> list[str]:
    """Every contract violation of `data` (a decoded manifest), sorted by JSON path."""
    found: list[tuple[PathParts, str]] = [
        (tuple(e.absolute_path), e.message) for e in _validator(_version_of(data)).iter_errors(data)
    ]
    if isinstance(data, dict):
        found += [
            *_nonfinite(data, ()),
            *_caption_problems(data),
            *_fade_problems(data),
            *_file_problems(data, base),
        ]
    found.sort(key=lambda item: (_sort_key(item[0]), item[1]))
    return [f"{json_path(parts)}: {message}" for parts, message in found]
