"""`reelforge demo`: materialize whole episodes through Dagster into a persistent instance.

Runs are recorded in `DAGSTER_HOME` (default `.reelforge/dagster_home`), so `make ui` shows
them and the asset graph afterwards.
"""

from __future__ import annotations

import io
import os
import sys
import time
from contextlib import redirect_stdout
from pathlib import Path

from rich.console import Console
from rich.table import Table

from reelforge.settings import Settings

QUIET_LOGS = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def prepare_dagster_home(settings: Settings) -> Path:
    """The local instance: dagster.yaml from config/concurrency.yaml, pools sized."""
    from reelforge.ops.instance import prepare_instance

    return prepare_instance(Path(os.environ.get("DAGSTER_HOME") or settings.dagster_home))


def _shown(path: Path) -> str:
    """The path relative to the working folder when it is inside it (shorter to read)."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_demo(settings: Settings, dates: list[str], channels: list[str]) -> int:
    # Off a terminal (CI logs, pipes) rich assumes 80 columns and would fold every path.
    console = Console() if sys.stdout.isatty() else Console(width=200)
    home = prepare_dagster_home(settings)
    import dagster as dg

    from reelforge.definitions import defs
    from reelforge.partitions import episode_key

    job = defs().resolve_job_def("episode")
    instance = dg.DagsterInstance.get()
    table = Table(title=f"reelforge demo — runs recorded in {home}")
    for column in ("partition", "status", "title", "duration", "wall (s)", "video"):
        table.add_column(column)
    failures = 0
    slots = [(d, c) for d in dates for c in channels]
    for i, (date, channel) in enumerate(slots, 1):
        label = f"{date} {channel}"
        started = time.monotonic()
        with console.status(f"[{i}/{len(slots)}] {label}: generating, rendering, publishing…"):
            result = job.execute_in_process(
                partition_key=episode_key(date, channel),
                instance=instance,
                run_config=QUIET_LOGS,
                tags={"reelforge/source": "demo"},
                raise_on_error=False,
            )
        elapsed = time.monotonic() - started
        if not result.success:
            failures += 1
            failed = [e.step_key for e in result.all_events if e.is_step_failure]
            table.add_row(
                label, "[red]failed", f"step {', '.join(failed)}", "", f"{elapsed:.0f}", ""
            )
            console.print(f"[red]✗ {label} failed[/] (run {result.run_id}; see `make ui`)")
            continue
        story = result.output_for_node("story")
        videos = result.output_for_node("videos")
        video = videos.videos[0]
        path = (
            settings.home
            / "episodes"
            / channel
            / date
            / f"video_{video.aspect.replace(':', 'x')}.mp4"
        )
        table.add_row(
            label,
            "[green]ok",
            story.title,
            f"{video.duration:.1f}s",
            f"{elapsed:.0f}",
            _shown(path),
        )
        console.print(f"✓ {label}: {story.title!r} {video.duration:.1f}s in {elapsed:.0f}s")
    console.print(table)
    console.print("dbt build: cost, engagement and arm marts…")
    # dagster-dbt echoes every dbt event to stdout; the run's logs keep them, the terminal not.
    with redirect_stdout(io.StringIO()):
        marts = defs().resolve_job_def("analytics_marts").execute_in_process(
            instance=instance, run_config=QUIET_LOGS, tags={"reelforge/source": "demo"},
            raise_on_error=False,
        )  # fmt: skip
    console.print(
        "✓ marts built (make dashboard)" if marts.success else "[red]✗ dbt build failed[/]"
    )
    return 1 if failures or not marts.success else 0
