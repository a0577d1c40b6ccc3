"""Sweeping scratch folders: what killed writers left behind.

Writers keep temporaries and private work folders in `.scratch` folders beside where they
write (lib.atomic, MediaStore.scratch) and remove them when they finish or fail. A process
killed by SIGKILL or the OOM killer cannot, so its debris stays; nothing else ever reads it.
`sweep` removes the entries of every `.scratch` folder under a root that nobody has written
for a while. A live writer keeps writing its temporary (a render grows its file every
second), and a work folder counts as fresh as its newest file, so an age of hours is safe.
"""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from reelforge.lib.media import SCRATCH_DIR

DEFAULT_MAX_AGE_HOURS = 24.0


@dataclass(frozen=True)
class SweepReport:
    folders: int  # scratch folders found
    removed: int  # entries removed (files or whole work folders)
    kept: int  # entries younger than the limit
    bytes_freed: int
    dry_run: bool

    def summary(self) -> str:
        verb = "would remove" if self.dry_run else "removed"
        return (
            f"{verb} {self.removed} stale entries ({self.bytes_freed / 1e6:.1f} MB) from "
            f"{self.folders} scratch folders; kept {self.kept} in use"
        )


def scratch_folders(root: Path) -> Iterator[Path]:
    """Every `.scratch` folder under `root`, never following symbolic links."""
    for path, dirs, _ in os.walk(root, followlinks=False):
        if SCRATCH_DIR in dirs:
            dirs.remove(SCRATCH_DIR)  # a scratch folder's contents are swept, not searched
            folder = Path(path) / SCRATCH_DIR
            if not folder.is_symlink():
                yield folder


def _walk(entry: Path) -> Iterator[os.stat_result]:
    yield entry.lstat()
    if entry.is_dir() and not entry.is_symlink():
        for path, dirs, files in os.walk(entry, followlinks=False):
            for name in (*dirs, *files):
                yield (Path(path) / name).lstat()


def _age_and_size(entry: Path, now: float) -> tuple[float, int]:
    """Seconds since anything in `entry` was written, and the bytes of its regular files."""
    stats = list(_walk(entry))
    newest = max(s.st_mtime for s in stats)
    return now - newest, sum(s.st_size for s in stats if stat.S_ISREG(s.st_mode))


def sweep(
    root: Path,
    max_age_hours: float = DEFAULT_MAX_AGE_HOURS,
    *,
    dry_run: bool = False,
    now: float | None = None,
    progress: Callable[[Path, int], None] | None = None,
) -> SweepReport:
    """Remove entries of the scratch folders under `root` untouched for `max_age_hours`.

    `progress(folder, removed)` is called once per folder. An entry that vanishes while it
    is looked at (its writer finished) is skipped.
    """
    if not max_age_hours > 0:
        raise ValueError(f"max_age_hours must be above 0, got {max_age_hours}")
    now = time.time() if now is None else now
    limit = max_age_hours * 3600
    folders = removed = kept = freed = 0
    for folder in scratch_folders(root):
        folders += 1
        here = 0
        for entry in sorted(folder.iterdir()):
            try:
                age, size = _age_and_size(entry, now)
            except FileNotFoundError:
                continue
            if age < limit:
                kept += 1
                continue
            if not dry_run:
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
            here += 1
            freed += size
        removed += here
        if progress:
            progress(folder, here)
    return SweepReport(folders, removed, kept, freed, dry_run)
