"""The FFmpeg command of the video pass: image inputs, the filter graph, encoder settings.

Each still is decoded once (a single-frame input), scaled to cover its source size once, then
repeated by `loop`; only the camera move runs per frame. Scenes are joined by `concat`, with
`xfade` applied to the cross-fade overlaps only; captions are burned with libass, and the audio
is the pre-mixed WAV with its loudness gain applied here (or generated silence).
A scene with a video clip (manifest v2) plays the clip instead: resampled to the output rate,
scaled to cover, cut to its frames or held on its last frame, with no camera move.
"""

from __future__ import annotations

import os
from pathlib import Path

from reelforge.lib.render.join import join_clips
from reelforge.lib.render.manifest import Manifest
from reelforge.lib.render.timeline import Timeline, motion_filter, source_size

SAMPLE_RATE = 48_000
AUDIO_BITRATE = "160k"
CONTAINERS = {".mp4": "mp4", ".mov": "mov", ".mkv": "matroska"}

# Content sniffing picks the demuxer: the generic image2 demuxer would read `%d` in a file name
# as a sequence pattern and trust the extension over the bytes.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png_pipe"),
    (b"\xff\xd8\xff", "jpeg_pipe"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"BM", "bmp_pipe"),
    (b"II*\x00", "tiff_pipe"),
    (b"MM\x00*", "tiff_pipe"),
)


def image_demuxer(path: Path) -> str | None:
    """FFmpeg demuxer for an image file, from its first bytes (None: let FFmpeg probe)."""
    with open(path, "rb") as f:
        head = f.read(16)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp_pipe"
    return next((name for magic, name in _MAGIC if head.startswith(magic)), None)


def input_url(path: Path) -> str:
    """A URL FFmpeg cannot mistake for a protocol (`a:b.png`) or an option (`-x.png`)."""
    return "file:" + str(Path(path).absolute())


def _backslash(text: str, specials: str) -> str:
    return "".join("\\" + ch if ch in specials or ch.isspace() else ch for ch in text)


def escape_filter_value(value: str) -> str:
    """Escape a string for use as a filter option value inside a filter graph.

    Two parsers unescape it in turn: the option parser (`\\`, `'` and the `:` separator) and
    then, outside it, the graph parser (`\\`, `'`, `[`, `]`, `,`, `;`); both trim unescaped
    white space at the ends. Escaping level by level, every character stays literal.
    """
    return _backslash(_backslash(value, "\\':"), "\\'[],;")


def image_inputs(manifest: Manifest, timeline: Timeline) -> list[str]:
    """One single-frame input per clip. `-r` stamps every input with the output frame rate,
    which `xfade` requires to match (an `fps` filter instead breaks xfade's timestamps)."""
    rate = f"{timeline.fps.numerator}/{timeline.fps.denominator}"
    args: list[str] = []
    for clip in timeline.clips:
        video = manifest.scenes[clip.scene].clip
        if video is not None:
            # A real video keeps its own timestamps; the chain resamples it to the output rate.
            args += ["-i", input_url(manifest.resolve(video))]
            continue
        path = manifest.resolve(manifest.scenes[clip.scene].image)
        demuxer = image_demuxer(path)
        # One thread per still: a single frame gains nothing from frame threads, and with
        # hundreds of inputs their per-thread contexts add up.
        fmt = ["-f", demuxer] if demuxer else []
        args += [*fmt, "-threads", "1", "-r", rate, "-i", input_url(path)]
    return args


def _video_chain(manifest: Manifest, timeline: Timeline, index: int) -> str:
    """A scene's video clip as exactly `frames` frames numbered like a still's (`setpts=N`):
    resampled to the output rate, cover-scaled, padded with its last frame when short."""
    clip = timeline.clips[index]
    out = manifest.output
    rate = timeline.fps
    steps = [
        "setpts=PTS-STARTPTS",
        f"fps={rate.numerator}/{rate.denominator}",
        f"scale={out.width}:{out.height}:force_original_aspect_ratio=increase:flags=lanczos"
        ":out_color_matrix=bt709:out_range=tv",
        f"crop={out.width}:{out.height}",
        "setsar=1",
        "format=yuv420p",
        "tpad=stop=-1:stop_mode=clone",  # endless last frame; trim takes what the scene needs
        f"trim=end_frame={clip.frames}",
        f"settb=expr={rate.denominator}/{rate.numerator}",
        "setpts=N",
    ]
    return f"[{index}:v]" + ",".join(steps) + f"[c{index}]"


def _clip_chain(manifest: Manifest, timeline: Timeline, index: int) -> str:
    clip = timeline.clips[index]
    out = manifest.output
    if manifest.scenes[clip.scene].clip is not None:
        return _video_chain(manifest, timeline, index)
    motion = manifest.scenes[clip.scene].motion
    src_w, src_h = source_size(motion, out.width, out.height)
    rate = timeline.fps
    steps = [
        "trim=end_frame=1",  # an animated GIF or a video file contributes its first frame
        # Cover the frame (keep aspect, crop the centre), converting to BT.709 limited range.
        f"scale={src_w}:{src_h}:force_original_aspect_ratio=increase:flags=lanczos"
        ":out_color_matrix=bt709:out_range=tv",
        f"crop={src_w}:{src_h}",
        "setsar=1",
        "format=yuv420p",
        f"loop=loop={clip.frames - 1}:size=1:start=0",
        f"settb=expr={rate.denominator}/{rate.numerator}",
        "setpts=N",
        motion_filter(motion, clip.frames, out.width, out.height),
        "setsar=1",  # per-frame scaling nudges the aspect; concat/xfade need square pixels
    ]
    return f"[{index}:v]" + ",".join(s for s in steps if s) + f"[c{index}]"


def filter_graph(
    manifest: Manifest,
    timeline: Timeline,
    *,
    ass_path: Path | None,
    audio_input: int | None,
    audio_gain_db: float = 0.0,
) -> str:
    """The whole graph; outputs [vout] and [aout]. Inputs 0..n-1 are the clips' stills; input
    `audio_input` is the soundtrack, to be amplified by `audio_gain_db`."""
    rate = timeline.fps
    finish = [
        f"trim=end_frame={timeline.total_frames}",
        f"settb=expr={rate.denominator}/{rate.numerator}",
        "setpts=N",
    ]
    if ass_path is not None:
        finish.append(f"subtitles=filename={escape_filter_value(str(ass_path))}")
    finish += [
        "setparams=colorspace=bt709:color_primaries=bt709:color_trc=bt709:range=tv",
        "format=yuv420p",
    ]
    samples = round(timeline.duration * SAMPLE_RATE)
    if audio_input is None:
        audio = f"anullsrc=r={SAMPLE_RATE}:cl=stereo,atrim=end_sample={samples}[aout]"
    else:
        audio = f"[{audio_input}:a]volume={audio_gain_db:.4f}dB[aout]"
    chains = [
        *(_clip_chain(manifest, timeline, i) for i in range(len(timeline.clips))),
        *join_clips(timeline),
        "[joined]" + ",".join(finish) + "[vout]",
        audio,
    ]
    return ";\n".join(chains) + "\n"


def encoder_threads() -> int:
    """x264 threads: one per usable CPU. x264's default (1.5 per CPU) holds ~12 MB more per
    extra thread at 1080x1920 and was no faster here, as FFmpeg's own thread (decode, filters)
    needs a CPU too."""
    return max(1, len(os.sched_getaffinity(0)))


def video_command(
    manifest: Manifest,
    timeline: Timeline,
    *,
    graph_script: Path,
    audio_wav: Path | None,
    output: Path,
    container: str,
    preset: str,
    crf: int,
) -> list[str]:
    """Arguments after `ffmpeg` for the single video pass (graph read from `graph_script`)."""
    rate = f"{timeline.fps.numerator}/{timeline.fps.denominator}"
    audio_in = ["-i", input_url(audio_wav)] if audio_wav is not None else []
    mp4_like = ["-movflags", "+faststart"] if container in ("mp4", "mov") else []
    return [
        *image_inputs(manifest, timeline),
        *audio_in,
        "-filter_complex_script", input_url(graph_script),
        "-map", "[vout]", "-map", "[aout]",
        "-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-pix_fmt", "yuv420p",
        "-threads", str(encoder_threads()),
        "-colorspace", "bt709", "-color_primaries", "bt709", "-color_trc", "bt709",
        "-color_range", "tv",
        "-r", rate,
        "-c:a", "aac", "-b:a", AUDIO_BITRATE, "-ar", str(SAMPLE_RATE), "-ac", "2",
        *mp4_like,
        "-f", container, input_url(output),
    ]  # fmt: skip
