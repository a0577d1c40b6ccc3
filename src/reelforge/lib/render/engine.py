"""Render a manifest to a video file: audio passes, one video pass, atomic publication.

Everything intermediate (ASS script, WAVs, graph, logs) lives in a work folder and the video
is encoded to a hidden temporary name, checked with ffprobe, then renamed over the target:
readers never see a half-written video, and a failed render leaves neither the video nor its
temporaries behind. Both sit next to the target unless a `scratch` folder (same file system)
is given: a render killed with SIGKILL cleans nothing up, so callers writing into folders that
others list pass one.
"""

from __future__ import annotations

import os
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reelforge.lib.captions import to_ass
from reelforge.lib.models import CaptionStyle
from reelforge.lib.render.audio import render_soundtrack
from reelforge.lib.render.graph import CONTAINERS, filter_graph, video_command
from reelforge.lib.render.manifest import Manifest, load_manifest
from reelforge.lib.render.probe import VideoInfo, video_info
from reelforge.lib.render.process import RenderError, ensure_open_files, run_ffmpeg
from reelforge.lib.render.timeline import Timeline, plan_timeline


@dataclass(frozen=True)
class RenderResult:
    path: Path
    duration: float
    width: int
    height: int
    fps: float
    size_bytes: int
    wall_seconds: float


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a == b or (a.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _check_output(info: VideoInfo, manifest: Manifest, timeline: Timeline) -> None:
    """Refuse a file that does not match the timeline (FFmpeg can exit 0 on a short render)."""
    out = manifest.output
    frame = 1 / float(timeline.fps)
    problems = []
    if (info.width, info.height) != (out.width, out.height):
        problems.append(f"size {info.width}x{info.height}, expected {out.width}x{out.height}")
    if info.frames is not None and info.frames != timeline.total_frames:
        problems.append(f"{info.frames} frames, expected {timeline.total_frames}")
    if abs(info.duration - timeline.duration) > frame + 1e-3:
        problems.append(f"duration {info.duration:.3f}s, expected {timeline.duration:.3f}s")
    if not info.has_audio:
        problems.append("no audio stream")
    if problems:
        raise RenderError("rendered file is wrong: " + "; ".join(problems))


def render(
    manifest: Manifest,
    *,
    out_path: Path | None = None,
    preset: str = "veryfast",
    crf: int = 23,
    caption_style: CaptionStyle = "karaoke",
    progress: Callable[[float], None] | None = None,
    scratch: Path | None = None,
) -> RenderResult:
    """Render `manifest` to `out_path` (default: its output.path) and describe the result."""
    started = time.monotonic()
    target = (Path(out_path) if out_path is not None else manifest.output_path).absolute()
    _check_target(target)
    container = CONTAINERS.get(target.suffix.lower())
    if container is None:
        raise RenderError(f"unsupported output extension {target.suffix!r} ({target})")
    if any(_same_file(target, p) for p in manifest.input_paths):
        raise RenderError(f"output {target} would overwrite one of the manifest's inputs")
    out = manifest.output
    timeline = plan_timeline(
        [s.duration for s in manifest.scenes], out.fps, manifest.transition.fade_seconds
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    where = (scratch if scratch is not None else target.parent).absolute()
    where.mkdir(parents=True, exist_ok=True)
    # Random name rather than mkstemp: FFmpeg creates the file, so it gets normal permissions.
    # The stem is shortened so the hidden names still fit the file system's name limit.
    stem = target.stem[:100]
    partial = where / f".{stem}.tmp-{secrets.token_hex(4)}{target.suffix}"
    try:
        with tempfile.TemporaryDirectory(prefix=f".{stem}.work-", dir=where) as tmp:
            work = Path(tmp)
            if progress is not None:
                progress(0.0)
            ass = None
            if manifest.captions:
                ass = work / "captions.ass"
                script = to_ass(
                    manifest.captions, width=out.width, height=out.height, style=caption_style
                )
                ass.write_text(script, encoding="utf-8")
            sound = render_soundtrack(manifest, timeline.duration, work)
            graph = work / "graph.txt"
            audio_input = len(timeline.clips) if sound is not None else None
            gain = sound.gain_db if sound is not None else 0.0
            graph.write_text(
                filter_graph(
                    manifest, timeline, ass_path=ass, audio_input=audio_input, audio_gain_db=gain
                ),
                encoding="utf-8",
            )
            wav = sound.wav if sound is not None else None
            command = video_command(
                manifest, timeline, graph_script=graph, audio_wav=wav, output=partial,
                container=container, preset=preset, crf=crf,
            )  # fmt: skip
            ensure_open_files(len(timeline.clips) + 1)
            run_ffmpeg(
                command,
                log_path=work / "video.log",
                what="video render",
                duration=timeline.duration,
                progress=progress,
            )
            info = video_info(partial)
            _check_output(info, manifest, timeline)
            os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(1.0)
    return RenderResult(
        path=target,
        duration=info.duration,
        width=info.width,
        height=info.height,
        fps=info.fps,
        size_bytes=target.stat().st_size,
        wall_seconds=time.monotonic() - started,
    )


def _check_target(target: Path) -> None:
    """Refuse an output path FFmpeg or the final rename would fail on half-way (or worse)."""
    text = str(target)
    if "\x00" in text:
        raise RenderError("output path contains a NUL character")
    if len(target.name.encode("utf-8", "surrogateescape")) > 255:
        raise RenderError(f"output file name is longer than 255 bytes ({target.name[:40]}…)")
    if target.is_dir():
        raise RenderError(f"output {target} is a folder; name a file such as {target}/video.mp4")


def render_file(
    manifest_path: Path, out_path: Path | None = None, preset: str = "veryfast"
) -> RenderResult:
    """Load, validate and render a manifest file."""
    return render(load_manifest(Path(manifest_path)), out_path=out_path, preset=preset)
