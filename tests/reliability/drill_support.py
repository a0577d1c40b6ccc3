"""Shared machinery of the reliability drills (issue #8): a drill home against the fake server,
a warm factory of run workers, a watcher for partial files, and the books to compare.

A plain module (conftest.py is not importable by name); test basenames stay unique.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH
from reelforge.fakes.process import provider_env

RUNNER = Path(__file__).with_name("drill_runner.py")
KEY = "sk-fake-drill-0123456789abcdef"
KEYS = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ELEVENLABS_API_KEY", "STABILITY_API_KEY",
        "FAL_KEY", "GEMINI_API_KEY")  # fmt: skip
REMOTE = frozenset({"openai", "anthropic", "elevenlabs", "stability", "fal", "veo", "sora"})
# The cheapest episode the product makes: shortest target length, a small render.
RENDER_HEIGHT = "160"
TARGET_SECONDS = 20


def write_config(
    path: Path,
    *,
    chains: dict[str, list[str]],
    platforms: list[str],
    start_date: str,
    channel_daily_usd: float = 500.0,
    global_daily_usd: float = 1000.0,
) -> Path:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["calendar"]["start_date"] = start_date
    data["budget"] = {"daily_usd": global_daily_usd, "monthly_usd": global_daily_usd * 30}
    for channel in data["channels"]:
        channel["daily_budget_usd"] = channel_daily_usd
        channel["monthly_budget_usd"] = channel_daily_usd * 30
        channel["providers"] = chains
        channel["platforms"] = platforms
        channel["defaults"]["target_seconds"] = TARGET_SECONDS
    path.write_text(yaml.safe_dump(data))
    return path


def youtube_token(path: Path, refresh_token: str) -> Path:
    """An OAuth2 authorized-user file; the fake posts to the account its refresh token names."""
    info = {"type": "authorized_user", "refresh_token": refresh_token,
            "client_id": "1234.apps.googleusercontent.com", "client_secret": "fake"}  # fmt: skip
    path.write_text(json.dumps(info))
    return path


def home_env(home: Path) -> dict[str, str]:
    """The variables that place a drill's state (media, ledger, Dagster instance) in `home`."""
    return {"REELFORGE_HOME": str(home), "DAGSTER_HOME": str(home / "dagster_home")}


def prepare_home(home: Path, dagster_yaml: str = "telemetry:\n  enabled: false\n") -> Path:
    """A drill home with its Dagster instance created, as `dagster dev` or the daemon would
    have created it before any run: run workers starting together on a missing SQLite
    instance race in Dagster's own schema set-up (alembic: "more than one head")."""
    import dagster as dg

    (home / "dagster_home").mkdir(parents=True, exist_ok=True)
    (home / "dagster_home" / "dagster.yaml").write_text(dagster_yaml)
    with dg.DagsterInstance.from_config(str(home / "dagster_home")) as instance:
        instance.get_runs(limit=1)
    return home


def drill_env(
    home: Path, config: Path, fake: str, *, youtube_token_file: Path | None = None, **extra: str
) -> dict[str, str]:
    """The environment of a drill's run workers: remote providers and platforms on the fake."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REELFORGE_", "DAGSTER_"))}
    env.update(
        home_env(home),
        REELFORGE_CONFIG=str(config),
        REELFORGE_PROVIDERS="remote",
        REELFORGE_RENDER_HEIGHT=RENDER_HEIGHT,
        REELFORGE_RENDER_PRESET="ultrafast",
        # Retries back off in hundredths of a second, not tenths: same paths, less waiting.
        REELFORGE_UPLOAD_RETRY_DELAY_S="0.05",
        REELFORGE_PROVIDER_RETRY_BASE_S="0.05",
        **provider_env(fake),
        **dict.fromkeys(KEYS, KEY),
    )
    if youtube_token_file is not None:
        env.update(
            REELFORGE_YOUTUBE_TOKEN_FILE=str(youtube_token_file),
            REELFORGE_YOUTUBE_BASE_URL=f"{fake}/youtube/",
            REELFORGE_YOUTUBE_TOKEN_URI=f"{fake}/youtube/oauth2/token",
        )
    env.update(extra)
    return env


class WarmRunner:
    """drill_runner.py as a child process: imports once, forks run workers on request."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            [sys.executable, str(RUNNER)], env=env, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._log, text=True, start_new_session=True,
        )  # fmt: skip
        self.log = log
        assert self._read(timeout=180).get("ready"), self.tail()
        self.pids: list[int] = []
        self.cpu_s = 0.0

    def _read(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        box: list[str] = []
        reader = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(timeout)
        if not box or not box[0]:
            raise RuntimeError(f"drill runner said nothing in {timeout}s: {self.tail()}")
        return json.loads(box[0])

    def tail(self) -> str:
        self._log.flush()
        return self.log.read_text(errors="replace")[-4000:]

    def start(self, workers: list[dict[str, Any]]) -> list[int]:
        """Fork one run worker per entry; returns their PIDs (each leads its process group)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"workers": workers}) + "\n")
        self.proc.stdin.flush()
        self.pids = self._read(timeout=60)["pids"]
        return self.pids

    def wait(self, timeout: float = 600) -> dict[int, int]:
        """Exit codes of the last request's workers (negative: the signal that ended them)."""
        return {int(k): v for k, v in self._read(timeout=timeout)["exits"].items()}

    def kill_workers(self) -> None:
        for pid in self.pids:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)

    def finish(self) -> float:
        """End the input; the runner reaps everything it started and says their CPU time."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.cpu_s = float(self._read(timeout=60)["cpu_s"])
        return self.cpu_s

    def stop(self) -> None:
        self.kill_workers()
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._log.close()


@contextlib.contextmanager
def warm_runner(env: dict[str, str], log: Path) -> Iterator[WarmRunner]:
    runner = WarmRunner(env, log)
    try:
        yield runner
    finally:
        runner.stop()


def read_report(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def group_processes(pgid: int) -> list[str]:
    """Command lines of the live processes in process group `pgid` (from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            if int(fields[2]) != pgid or fields[0] == "Z":
                continue
            out.append(
                (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            )
        except (OSError, ValueError):
            continue
    return out


def wait_for(what: str, predicate: Callable[[], bool], timeout: float, every: float = 0.05) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what} after {timeout}s")
        time.sleep(every)


# -- the partial-file watcher -------------------------------------------------------------

SCRATCH_PARTS = (".scratch",)  # folders where temporaries belong
TEMP_MARKERS = (".tmp", ".partial", ".staging", ".work-", ".part")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Watcher:
    """Polls the final folders of a home while runs write and die in it.

    Flags a media blob whose bytes do not hash to its name, any temporary name outside a
    scratch folder, and records every content seen under each final file name (a partial
    video would show up as a second hash under `video_9x16.mp4`).
    """

    home: Path
    interval: float = 0.02
    violations: list[str] = field(default_factory=list)
    seen: dict[str, set[str]] = field(default_factory=dict)
    scans: int = 0
    _known: dict[tuple[str, int, int, int], str] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Watcher:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        self.scan()  # and once more at rest

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.scan()
            time.sleep(self.interval)

    def _digest(self, path: Path) -> str | None:
        try:
            st = path.stat()
            ident = (str(path), st.st_ino, st.st_size, st.st_mtime_ns)
            if ident not in self._known:
                self._known[ident] = _sha256(path)
            return self._known[ident]
        except FileNotFoundError:
            return None  # replaced or removed between listing and reading: seen next scan

    def scan(self) -> None:
        self.scans += 1
        roots = [self.home / "media", self.home / "episodes", self.home / "outbox"]
        for root in roots:
            for dirpath, dirnames, filenames in os.walk(root):
                rel = Path(dirpath).relative_to(self.home)
                if any(part in SCRATCH_PARTS for part in rel.parts):
                    dirnames.clear()
                    continue
                for name in [*dirnames, *filenames]:
                    if any(m in name for m in TEMP_MARKERS):
                        self._flag(f"temporary name in a final folder: {rel / name}")
                for name in filenames:
                    path = Path(dirpath) / name
                    digest = self._digest(path)
                    if digest is None:
                        continue
                    where = str(rel / name)
                    self.seen.setdefault(where, set()).add(digest)
                    if rel.parts[:2] == ("media", "sha256") and not name.startswith(digest):
                        self._flag(f"media blob {where} does not hash to its name ({digest})")

    def _flag(self, message: str) -> None:
        if message not in self.violations:
            self.violations.append(message)

    def rewritten(self) -> dict[str, set[str]]:
        """Final names seen with more than one content (a partial file, or a rewrite)."""
        return {k: v for k, v in self.seen.items() if len(v) > 1}


# -- the books ------------------------------------------------------------------------------


def ledger_rows(home: Path, query: str) -> list[Any]:
    engine = sa.create_engine(f"sqlite:///{home / 'ledger.sqlite'}")
    try:
        with engine.connect() as conn:
            return list(conn.exec_driver_sql(query).fetchall())
    finally:
        engine.dispose()


def remote_calls(home: Path) -> list[tuple[str, str, str, float]]:
    """(request_hash, episode, provider, cost) of every remote provider call booked."""
    rows = ledger_rows(
        home, "select request_hash, episode_id, provider, cost_usd from provider_calls"
    )
    return [tuple(r) for r in rows if r[2] in REMOTE]  # type: ignore[misc]


def budget_summary(home: Path) -> dict[str, Any]:
    """Settled micro-dollars, refunds and open holds per channel (the budget's own books)."""
    rows = ledger_rows(
        home,
        "select h.channel, o.kind, coalesce(o.actual_micros, 0), h.estimate_micros "
        "from budget_holds h left join budget_outcomes o on o.hold_id = h.hold_id",
    )
    out: dict[str, Any] = {"settled_micros": {}, "refunds": 0, "open": 0, "holds": len(rows)}
    for channel, kind, actual, _estimate in rows:
        if kind == "settle":
            out["settled_micros"][channel] = out["settled_micros"].get(channel, 0) + actual
        elif kind == "refund":
            out["refunds"] += 1
        else:
            out["open"] += 1
    return out


def upload_rows(home: Path) -> list[tuple[str, str, str, str]]:
    """(episode, platform, state, post_id) of every upload row."""
    rows = ledger_rows(home, "select episode_id, platform, state, post_id from uploads")
    return [tuple(r) for r in rows]  # type: ignore[misc]


def run_failures(dagster_home: Path, statuses: tuple[str, ...] = ("STARTED",)) -> list[str]:
    """Run ids of the instance's runs in `statuses` (a dead worker's run stays STARTED)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(
            filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus[s] for s in statuses])
        )
        return [r.run_id for r in runs]


def report_dead_runs(dagster_home: Path, why: str) -> list[str]:
    """What run monitoring does for a run whose worker died: mark the run failed."""
    import dagster as dg

    dead = []
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        for run in instance.get_runs(filters=dg.RunsFilter(statuses=[dg.DagsterRunStatus.STARTED])):
            instance.report_run_failed(run, why)
            dead.append(run.run_id)
    return dead


def event_log_text(dagster_home: Path) -> str:
    """Every event message of every run of the instance (for collisions and errors)."""
    import dagster as dg

    lines = []
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        for run in instance.get_runs():
            for record in instance.all_logs(run.run_id):
                lines.append(f"{run.run_id[:8]} {record.user_message}")
                event = record.dagster_event
                data = getattr(event, "event_specific_data", None) if event else None
                error = getattr(data, "error", None)
                while error is not None:
                    lines.append(f"{run.run_id[:8]}   {error.message}")
                    error = error.cause
    return "\n".join(lines)


def step_retries(dagster_home: Path) -> int:
    """Steps put up for retry by their RetryPolicy, over every run of the instance."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        return sum(
            1
            for run in instance.get_runs()
            for record in instance.all_logs(run.run_id)
            if record.dagster_event is not None
            and record.dagster_event.event_type_value == "STEP_UP_FOR_RETRY"
        )
