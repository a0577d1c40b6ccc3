"""The policy refresh: re-fit the policy and re-plan the next days, every morning."""

import dagster as dg

policy_job = dg.define_asset_job(
    name="policy_refresh_job",
    selection=dg.AssetSelection.assets("generation_policy"),
    description="Fit the policy on the warehouse and plan the next slots of every channel.",
)

policy_refresh = dg.ScheduleDefinition(
    name="policy_refresh",
    job=policy_job,
    cron_schedule="0 5 * * *",  # before the content calendar (06:00) asks for tomorrow
    execution_timezone="UTC",
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Materializes generation_policy daily at 05:00 UTC, before the calendar runs.",
)
