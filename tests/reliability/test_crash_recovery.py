"""Issue #8, drill 1: `kill -9` the run worker mid-render and mid-upload, re-execute from failure.

One episode (remote providers and YouTube on the fake server, plus the outbox) is run by a
real run worker process against a persistent SQLite Dagster instance. The worker's whole
process group (ffmpeg included) is SIGKILLed once the video pass's ffmpeg runs, the dead run is
marked failed (what run monitoring does), and the run is re-executed from failure; that run is
killed again halfway through the chunked YouTube upload, and re-executed once more. Meanwhile a
watcher polls the media store, the episode folder and the outbox.

Proves: the video is byte-identical to an uninterrupted run's; no partial or temporary file is
ever visible in a final folder; one post per platform and one upload row each; every provider
call booked once and the budget settled to the same sum, no hold left open.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import drill_support as drill
import pytest

from reelforge.fakes.process import reset, running_fake_server, set_faults, state, stats
from reelforge.lib import outbox
from reelforge.lib.budget import to_micros

pytestmark = pytest.mark.slow
DATE, CHANNEL = "2026-11-17", "space_facts"
SLOT = {"partition": [DATE, CHANNEL]}
# A local story: a remote one is at least 80 words (~35 s of video), a local one follows the
# 20 s target; the paid stages stay remote so there are costs to count.
CHAINS = {"story": ["local"], "speech": ["elevenlabs"], "images": ["openai"],
          "music": ["elevenlabs"]}  # fmt: skip
VIDEO = Path("episodes") / CHANNEL / DATE / "video_9x16.mp4"


@pytest.fixture(scope="module")
def fake() -> Iterator[str]:
    with running_fake_server() as url:
        yield url


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _upload_half_done(fake: str, account: str) -> bool:
    sessions = state(fake, "youtube")["sessions"].values()
    return any(
        s["account"] == account and s["committed"] > 0 and s["video_id"] is None for s in sessions
    )


def _partial_videos(home: Path) -> list[Path]:
    """Half-written videos (non-empty) in the episodes' scratch folder."""
    out = []
    for path in (home / "episodes" / ".scratch").glob(".video_9x16.tmp-*"):
        with contextlib.suppress(FileNotFoundError):  # renamed into place meanwhile
            if path.stat().st_size:
                out.append(path)
    return out


def _rendering(home: Path, pid: int) -> bool:
    """The video pass's ffmpeg runs in the worker's group and has written some of the video."""
    ffmpeg = any("-filter_complex_script" in c for c in drill.group_processes(pid))
    return ffmpeg and bool(_partial_videos(home))


def _kill_group(runner: drill.WarmRunner, pid: int) -> None:
    os.killpg(pid, signal.SIGKILL)
    assert runner.wait(timeout=60) == {pid: -signal.SIGKILL}


def test_kill_9_mid_render_and_mid_upload_then_reexecute(fake: str, tmp_path: Path) -> None:
    started = time.monotonic()
    reset(fake)  # the stats count this test's calls only
    config = drill.write_config(
        tmp_path / "channels.yaml", chains=CHAINS, platforms=["outbox", "youtube"], start_date=DATE
    )
    who = uuid.uuid4().hex[:8]
    ref_home, home = drill.prepare_home(tmp_path / "ref"), drill.prepare_home(tmp_path / "crash")
    ref_token = drill.youtube_token(tmp_path / "yt-ref.json", f"yt-ref-{who}")
    account = f"yt-crash-{who}"
    token = drill.youtube_token(tmp_path / "yt-crash.json", account)
    # 256 KiB chunks: the small test video goes up in several chunks, so there is a "mid".
    env = drill.drill_env(home, config, fake, youtube_token_file=token,
                          REELFORGE_YOUTUBE_CHUNK_KIB="256")  # fmt: skip
    with drill.warm_runner(env, tmp_path / "runner.log") as runner:
        # Slow chunk answers leave time to kill the worker while the upload is half done.
        set_faults(fake, options={"youtube.chunk_delay_s": 0.3})
        with drill.Watcher(home) as watcher:
            # The reference (the same slot, uninterrupted, in a home of its own) runs beside
            # the first attempt, which is killed once its video pass's ffmpeg is writing.
            ref_env = {**drill.home_env(ref_home), "REELFORGE_YOUTUBE_TOKEN_FILE": str(ref_token)}
            ref_pid, pid = runner.start([
                {"runs": [SLOT], "report": str(tmp_path / "ref.jsonl"), "env": ref_env},
                {"runs": [SLOT], "report": str(tmp_path / "run1.jsonl")},
            ])  # fmt: skip
            drill.wait_for("the video pass's ffmpeg writing", lambda: _rendering(home, pid), 180)
            os.killpg(pid, signal.SIGKILL)
            assert runner.wait() == {ref_pid: 0, pid: -signal.SIGKILL}, runner.tail()
            [ref] = drill.read_report(tmp_path / "ref.jsonl")
            assert ref["success"], ref["errors"]
            assert not (home / VIDEO).exists()  # killed mid-render: no video, not half a one
            # The half-written video stays behind (SIGKILL cleans nothing), in scratch only.
            assert _partial_videos(home)
            [first] = drill.report_dead_runs(home / "dagster_home", "run worker killed (-9)")

            [pid] = runner.start([{"runs": [{"reexecute": first}],
                                   "report": str(tmp_path / "run2.jsonl")}])  # fmt: skip
            drill.wait_for("a half-done YouTube upload", lambda: _upload_half_done(fake, account),
                           timeout=180)  # fmt: skip
            _kill_group(runner, pid)
            [second] = drill.report_dead_runs(home / "dagster_home", "run worker killed (-9)")

            runner.start([{"runs": [{"reexecute": second}],
                           "report": str(tmp_path / "run3.jsonl")}])  # fmt: skip
            runner.wait()
        cpu_s = runner.finish()
        [final] = drill.read_report(tmp_path / "run3.jsonl")
        assert final["success"], final["errors"]
    assert drill.read_report(tmp_path / "run1.jsonl") == []  # the killed ones never reported
    assert drill.read_report(tmp_path / "run2.jsonl") == []

    # Determinism: the twice-interrupted episode is byte-identical to the uninterrupted one.
    video_sha = _sha(home / VIDEO)
    assert video_sha == _sha(ref_home / VIDEO)
    # Never a partial or temporary file in a final folder, at any scan.
    assert watcher.scans > 50
    assert watcher.violations == []
    assert watcher.rewritten() == {}
    assert watcher.seen[str(VIDEO)] == {video_sha}

    # One post per platform, of these bytes; one upload row each.
    yt = state(fake, "youtube")
    posts = yt["accounts"][account]["posts"]
    assert [p["sha256"] for p in posts] == [video_sha]
    assert yt["accounts"][account]["duplicates"] == 0
    # The killed upload was resumed, not restarted: one session, no byte sent twice.
    sessions = [v for v in yt["sessions"].values() if v["account"] == account]
    assert len(sessions) == 1 and sessions[0]["chunks"] > 1, sessions
    assert sessions[0]["duplicate_bytes"] == 0, sessions
    posted = [
        json.loads((e / "metadata.json").read_text()) for e in outbox.entries(home / "outbox")
    ]
    assert [p["content_hash"] for p in posted] == [video_sha]
    episode = f"{CHANNEL}-{DATE}"
    rows = drill.upload_rows(home)
    assert sorted((e, p, s) for e, p, s, _ in rows) == [
        (episode, "outbox", "published"), (episode, "youtube", "published")
    ]  # fmt: skip
    assert {post_id for *_, post_id in rows if post_id.startswith("outbox")} == {
        p["post_id"] for p in posted
    }

    # Costs once: one ledger row per billable success of the fake; the budget agrees.
    calls, ref_calls = drill.remote_calls(home), drill.remote_calls(ref_home)
    assert {c[0] for c in calls} == {c[0] for c in ref_calls}  # the same requests, once each
    assert len(calls) + len(ref_calls) == stats(fake)["billable.ok"]
    budget = drill.budget_summary(home)
    assert budget["open"] == 0
    assert budget["settled_micros"] == {CHANNEL: sum(to_micros(c[3]) for c in calls)}
    print(f"\ncrash drill: {time.monotonic() - started:.1f}s wall, {cpu_s:.0f}s CPU in runs, "
          f"{watcher.scans} scans, "
          f"{len(calls)} paid calls, {sum(c[3] for c in calls):.4f} USD")  # fmt: skip
