"""Jobs: the whole episode, from plan to warehouse rows; the marts over all episodes."""

from __future__ import annotations

import dagster as dg

from reelforge.constants import GROUP_ANALYTICS, GROUP_GENERATION, GROUP_PUBLISHING

# dbt models roll up every episode: they are not partitioned and run in their own job.
MARTS = dg.AssetSelection.kind("dbt")

episode_job = dg.define_asset_job(
    name="episode",
    selection=dg.AssetSelection.groups(GROUP_GENERATION, GROUP_PUBLISHING, GROUP_ANALYTICS) - MARTS,
    description="Every stage of the selected calendar slots: plan → video → upload → warehouse.",
)

marts_job = dg.define_asset_job(
    name="analytics_marts",
    selection=MARTS,
    description="dbt build over the warehouse: staging views, marts and their tests.",
)
