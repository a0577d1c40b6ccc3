"""The content calendar: every day, produce tomorrow's slot of every channel."""

import dagster as dg

from reelforge.defs.jobs import episode_job
from reelforge.lib.calendar import next_day_slots
from reelforge.partitions import current_config, episode_key


@dg.schedule(
    job=episode_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def content_calendar(context: dg.ScheduleEvaluationContext) -> dg.SkipReason | list[dg.RunRequest]:
    """Requests tomorrow's episode of every channel (one run per date × channel partition)."""
    config = current_config()
    slots = next_day_slots(
        context.scheduled_execution_time,
        [c.slug for c in config.channels],
        config.calendar.start_date,
    )
    if not slots:
        return dg.SkipReason(f"the calendar starts on {config.calendar.start_date}")
    return [
        dg.RunRequest(
            run_key=f"calendar:{date}:{slug}",
            partition_key=episode_key(date, slug),
            tags={"reelforge/channel": slug, "reelforge/date": date},
        )
        for date, slug in slots
    ]
