"""The content calendar: every day, produce tomorrow's slot of every channel that can pay."""

import datetime as dt
from functools import partial

import dagster as dg

from reelforge.config import Channel, ChannelsConfig
from reelforge.defs.jobs import episode_job
from reelforge.defs.resources.storage import LedgerResource
from reelforge.lib.budget import Budget, Limits
from reelforge.lib.budget_estimate import budget_block, episode_estimate
from reelforge.lib.calendar import next_day_slots
from reelforge.lib.pricing import PriceTable
from reelforge.partitions import current_config, episode_key
from reelforge.settings import Settings, load_settings


def _first_paid(settings: Settings, channel: Channel, family: str) -> tuple[str, str] | None:
    if settings.providers == "local":
        return None
    configured = {e.name: e.model for e in settings.remote_endpoints(family)}
    chain = getattr(channel.providers, family, []) or list(configured)
    return next(((n, configured[n]) for n in chain if n in configured), None)


def budget_reason(
    channel: Channel, config: ChannelsConfig, budget: Budget, settings: Settings, day: dt.date
) -> str | None:
    """Why this channel's next episode must not start (None: it fits every cap)."""
    estimate = episode_estimate(
        PriceTable.load(settings.prices_path),
        partial(_first_paid, settings, channel),
        target_seconds=channel.defaults.target_seconds,
        speaking_rate_wpm=channel.speaking_rate_wpm,
        motion_clips=channel.motion_clips,
    )
    remaining = budget.remaining_usd(
        channel.slug,
        day,
        Limits(channel.daily_budget_usd, channel.monthly_budget_usd),
        Limits(config.budget.daily_usd, config.budget.monthly_usd),
    )
    block = budget_block(remaining, estimate)
    return f"{channel.slug}: {block}" if block else None


@dg.schedule(
    job=episode_job,
    cron_schedule="0 6 * * *",
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
)
def content_calendar(
    context: dg.ScheduleEvaluationContext, ledger: LedgerResource
) -> dg.SkipReason | list[dg.RunRequest]:
    """Requests tomorrow's episode of every channel (one run per date × channel partition).

    A channel whose next episode's estimated cost does not fit its remaining daily/monthly
    budget (or the global one) gets no run; the tick says which budget and by how much.
    """
    config = current_config()
    now = context.scheduled_execution_time or dt.datetime.now(dt.UTC)
    slots = next_day_slots(now, [c.slug for c in config.channels], config.calendar.start_date)
    if not slots:
        return dg.SkipReason(f"the calendar starts on {config.calendar.start_date}")
    settings, budget = load_settings(), ledger.budget()
    requests, blocked = [], []
    for date, slug in slots:
        reason = budget_reason(config.channel(slug), config, budget, settings, now.date())
        if reason:
            blocked.append(reason)
            context.log.warning(f"no run for {slug} {date}: {reason}")
            continue
        requests.append(
            dg.RunRequest(
                run_key=f"calendar:{date}:{slug}",
                partition_key=episode_key(date, slug),
                tags={"reelforge/channel": slug, "reelforge/date": date},
            )
        )
    if not requests:
        return dg.SkipReason("every channel is over budget: " + "; ".join(blocked))
    return requests
