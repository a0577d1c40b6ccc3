"""Video thumbnails: one frame grabbed with ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path

from reelforge.lib.atomic import atomic_path


def grab_frame(video: Path, at_seconds: float, out_jpeg: Path, max_side: int = 720) -> None:
    """Write the frame at `at_seconds` as a JPEG no larger than `max_side` on its long side."""
    scale = f"scale='if(gt(iw,ih),min({max_side},iw),-2)':'if(gt(iw,ih),-2,min({max_side},ih))'"
    with atomic_path(out_jpeg) as tmp:
        cmd = [
            "ffmpeg", "-nostdin", "-v", "error", "-y", "-ss", f"{max(0.0, at_seconds):.3f}",
            "-i", str(video), "-frames:v", "1", "-vf", scale, "-q:v", "3", str(tmp),
        ]  # fmt: skip
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0 or tmp.stat().st_size == 0:
            raise RuntimeError(f"ffmpeg could not grab a frame of {video}: {proc.stderr[-500:]}")
