"""Housekeeping: sweep what killed writers left in the scratch folders, every night."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from reelforge.lib.scratch import DEFAULT_MAX_AGE_HOURS, sweep
from reelforge.settings import load_settings


class SweepConfig(dg.Config):
    max_age_hours: float = DEFAULT_MAX_AGE_HOURS  # entries untouched this long are debris
    dry_run: bool = False  # count what would go, remove nothing


@dg.op(out=dg.Out(dg.Nothing))
def sweep_scratch_folders(
    context: dg.OpExecutionContext, config: SweepConfig
) -> Iterator[dg.Output]:
    """Removes entries of every .scratch folder under REELFORGE_HOME untouched for
    max_age_hours: temporaries and work folders of processes that were killed mid-write."""
    home = load_settings().home

    def progress(folder: Path, removed: int) -> None:
        if removed:
            context.log.info(f"{folder.relative_to(home)}: {removed} stale entries")

    try:
        report = sweep(home, config.max_age_hours, dry_run=config.dry_run, progress=progress)
    except ValueError as exc:
        raise dg.Failure(str(exc), allow_retries=False) from None
    context.log.info(report.summary())
    yield dg.Output(
        None,
        metadata={
            "scratch_folders": report.folders,
            "entries_removed": report.removed,
            "entries_in_use": report.kept,
            "mb_freed": dg.MetadataValue.float(round(report.bytes_freed / 1e6, 3)),
            "dry_run": report.dry_run,
        },
    )


@dg.job
def sweep_scratch() -> None:
    """Sweep the scratch debris of killed writers (run config: max_age_hours, dry_run)."""
    sweep_scratch_folders()


scratch_sweep = dg.ScheduleDefinition(
    name="scratch_sweep",
    job=sweep_scratch,
    cron_schedule="30 4 * * *",  # a quiet hour, before the policy refresh and the calendar
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Runs sweep_scratch daily at 04:30 UTC (entries untouched for 24 h).",
)
