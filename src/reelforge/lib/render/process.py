"""Running FFmpeg: progress from `-progress pipe:1`, stderr to a file, errors with its tail.

stderr goes to a file rather than a pipe so a long, chatty render can never block on a full
pipe buffer while we are reading progress from stdout.
"""

from __future__ import annotations

import resource
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
from collections.abc import Callable, Sequence
from pathlib import Path

FFMPEG = "ffmpeg"
TAIL_CHARS = 4000
# Descriptors FFmpeg needs besides one per input: output, logs, scripts, libass fonts, pipes.
SPARE_FILES = 64


class RenderError(RuntimeError):
    """FFmpeg (or the render around it) failed; the message ends with FFmpeg's last words."""


def ensure_open_files(inputs: int) -> None:
    """Make sure an FFmpeg child can hold `inputs` files open at once (one per still).

    A 500-scene manifest opens 500 inputs, more than a common soft limit of 256 or 1024
    descriptors allows; FFmpeg would then fail half-way with "Too many open files". The soft
    limit is raised (children inherit it) up to the hard limit; beyond that, refuse clearly.
    """
    needed = inputs + SPARE_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= needed:
        return
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise RenderError(
            f"rendering {inputs} inputs needs about {needed} open files, but this process may "
            f"open at most {hard} (hard limit of `ulimit -n`); raise it or use fewer scenes"
        )
    resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


def log_tail(log_path: Path, limit: int = TAIL_CHARS) -> str:
    """The last `limit` characters of a log file ('' if it cannot be read)."""
    try:
        with open(log_path, "rb") as f:
            f.seek(0, 2)
            f.seek(max(0, f.tell() - limit))
            return f.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def run_ffmpeg(
    args: Sequence[str],
    *,
    log_path: Path,
    what: str,
    duration: float | None = None,
    progress: Callable[[float], None] | None = None,
) -> None:
    """Run `ffmpeg args`; report out_time/duration (0..1) to `progress`; raise RenderError."""
    command = [FFMPEG, "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", *args]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)  # nosec B603 # argument list to ffmpeg built by the render graph; no shell
        try:
            if proc.stdout is None:  # cannot happen with stdout=PIPE; -O would drop an assert
                raise RenderError(f"{what}: no progress pipe from FFmpeg")
            for line in proc.stdout:
                key, _, value = line.strip().partition("=")
                if progress is None or not duration:
                    continue
                if key == "out_time_us" and value.lstrip("-").isdigit():
                    progress(min(1.0, max(0.0, int(value) / 1e6 / duration)))
            code = proc.wait()
        finally:
            if proc.poll() is None:  # the progress callback raised: do not leave FFmpeg running
                proc.kill()
                proc.wait()
    if code != 0:
        raise RenderError(f"{what} failed (ffmpeg exit code {code}):\n{log_tail(log_path)}")
