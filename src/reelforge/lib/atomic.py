"""Atomic file writes: a reader sees the old file or the whole new one, never a partial one.

The temporary file lives beside the target unless a `scratch` folder is given. A process
killed with SIGKILL runs no cleanup, so its temporary stays where it was written: writers into
folders that others list (the media store, episode folders, the outbox) pass a scratch folder
on the same file system, so a crash leaves debris only there, never among the final files.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(
    target: Path, suffix: str | None = None, scratch: Path | None = None
) -> Iterator[Path]:
    """Yield a temp path (in `scratch`, else beside `target`); on success fsync it and rename
    it over `target`. `scratch` must be on the target's file system (rename is atomic only
    within one).

    The temp file keeps the target's suffix so tools that pick a format by extension
    (ffmpeg, Pillow) still work. On error the temp file is removed and nothing is replaced.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    where = scratch if scratch is not None else target.parent
    where.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=f".tmp{suffix or target.suffix}", dir=where
    )
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp creates 0600; published media must be readable like any other file.
    os.chmod(tmp, 0o644)
    try:
        yield tmp
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(target: Path, data: bytes, scratch: Path | None = None) -> None:
    with atomic_path(target, scratch=scratch) as tmp:
        tmp.write_bytes(data)


def write_text(target: Path, text: str, scratch: Path | None = None) -> None:
    write_bytes(target, text.encode("utf-8"), scratch)


def copy_file(src: Path, target: Path, scratch: Path | None = None) -> None:
    with atomic_path(target, scratch=scratch) as tmp:
        shutil.copyfile(src, tmp)
