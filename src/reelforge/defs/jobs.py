"""Jobs: the whole episode, from plan to warehouse rows."""

from __future__ import annotations

import dagster as dg

from reelforge.constants import GROUP_ANALYTICS, GROUP_GENERATION, GROUP_PUBLISHING

episode_job = dg.define_asset_job(
    name="episode",
    selection=dg.AssetSelection.groups(GROUP_GENERATION, GROUP_PUBLISHING, GROUP_ANALYTICS),
    description="Every stage of the selected calendar slots: plan → video → upload → warehouse.",
)
