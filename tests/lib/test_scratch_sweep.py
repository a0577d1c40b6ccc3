"""Sweeping scratch folders: a killed writer's debris goes, live work and everything else stays."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from reelforge.cli import main
from reelforge.defs.maintenance import scratch_sweep, sweep_scratch
from reelforge.lib.media import MediaStore
from reelforge.lib.scratch import scratch_folders, sweep

DAY = 24 * 3600

_WRITER = """
import sys, time
from pathlib import Path
from reelforge.lib import atomic
from reelforge.lib.media import MediaStore
store = MediaStore(Path(sys.argv[1]))
with atomic.atomic_path(store.root / "sha256" / "ab" / "final.mp4", scratch=store.scratch) as tmp:
    tmp.write_bytes(b"x" * 100_000)
    print("writing", flush=True)
    time.sleep(60)
"""


def _killed_writer(root: Path) -> None:
    """A real writer into the media store, killed with SIGKILL in the middle of its write."""
    proc = subprocess.Popen([sys.executable, "-c", _WRITER, str(root)], stdout=subprocess.PIPE,
                            text=True)  # fmt: skip
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "writing"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def test_a_killed_writers_debris_is_swept_and_nothing_else(tmp_path: Path) -> None:
    store = MediaStore(tmp_path / "media")
    kept = store.root / "sha256" / "cd" / "done.txt"
    kept.parent.mkdir(parents=True)
    kept.write_text("published")
    _killed_writer(store.root)
    debris = list(store.scratch.iterdir())
    assert len(debris) == 1 and debris[0].stat().st_size == 100_000
    assert not (store.root / "sha256" / "ab" / "final.mp4").exists()

    fresh = sweep(tmp_path)  # just written: in use as far as anyone can tell
    assert (fresh.removed, fresh.kept, fresh.folders) == (0, 1, 1)
    dry = sweep(tmp_path, dry_run=True, now=time.time() + DAY + 60)
    assert (dry.removed, dry.bytes_freed) == (1, 100_000) and debris[0].exists()
    assert "would remove 1 stale entries" in dry.summary()
    report = sweep(tmp_path, now=time.time() + DAY + 60)
    assert (report.removed, report.bytes_freed, report.dry_run) == (1, 100_000, False)
    assert list(store.scratch.iterdir()) == [] and kept.read_text() == "published"


def test_a_work_folder_is_as_fresh_as_its_newest_file(tmp_path: Path) -> None:
    work = tmp_path / "episodes" / ".scratch" / "job-1"
    (work / "deep").mkdir(parents=True)
    old, new = work / "old.wav", work / "deep" / "new.wav"
    old.write_bytes(b"1" * 10)
    new.write_bytes(b"2" * 20)
    now = time.time()
    os.utime(old, (now - 2 * DAY, now - 2 * DAY))
    os.utime(work, (now - 2 * DAY, now - 2 * DAY))
    assert sweep(tmp_path, now=now).kept == 1 and new.exists()  # new.wav is being written
    os.utime(new, (now - 2 * DAY, now - 2 * DAY))
    os.utime(work / "deep", (now - 2 * DAY, now - 2 * DAY))
    report = sweep(tmp_path, now=now)
    assert (report.removed, report.bytes_freed) == (1, 30) and not work.exists()


def test_links_are_removed_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep")
    scratch = tmp_path / "home" / "media" / ".scratch"
    scratch.mkdir(parents=True)
    (scratch / "link").symlink_to(outside)
    (tmp_path / "home" / "records").mkdir()
    (tmp_path / "home" / "records" / ".scratch").symlink_to(outside)  # a linked scratch folder
    assert list(scratch_folders(tmp_path / "home")) == [scratch]
    report = sweep(tmp_path / "home", now=time.time() + 2 * DAY)
    assert report.removed == 1 and not (scratch / "link").is_symlink()
    assert (outside / "precious.txt").read_text() == "keep"


def test_bad_age_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(ValueError, match="max_age_hours must be above 0"):
        sweep(tmp_path, 0)
    assert main(["sweep-scratch", "--max-age-hours", "-1"]) == 2
    assert "max_age_hours must be above 0" in capsys.readouterr().err


def test_cli_and_job_sweep_reelforge_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("REELFORGE_HOME", str(tmp_path))
    stale = tmp_path / "outbox" / ".scratch" / ".post.json.abc.tmp.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{")
    then = time.time() - 2 * DAY
    os.utime(stale, (then, then))
    assert main(["sweep-scratch", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert f"{stale.parent}: 1 stale entries" in out and "would remove 1" in out
    assert stale.exists()

    assert scratch_sweep.default_status == dg.DefaultScheduleStatus.STOPPED
    result = sweep_scratch.execute_in_process(
        run_config={"ops": {"sweep_scratch_folders": {"config": {"max_age_hours": 24}}}},
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success and not stale.exists()
    [output] = [e for e in result.all_events if e.event_type_value == "STEP_OUTPUT"]
    metadata = output.step_output_data.metadata
    assert metadata["entries_removed"].value == 1 and metadata["dry_run"].value is False
