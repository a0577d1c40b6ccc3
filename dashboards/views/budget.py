"""Budget & quotas: spend against each channel's daily budget, and posts per platform."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st
from common import channels_config, money, query, require_episodes

from reelforge.lib import analytics_queries as q

st.title("Budget & quotas")
names = require_episodes()
config = channels_config()
budgets = pd.DataFrame(
    [{"channel": c.slug, "daily_budget_usd": c.daily_budget_usd} for c in config.channels]
    if config
    else [],
    columns=["channel", "daily_budget_usd"],
)

st.subheader("Daily spend vs budget")
spend = query(q.daily_spend, names)
if spend.empty:
    st.info("No spend recorded yet.")
else:
    spend = spend.merge(budgets, on="channel", how="left")
    spend["budget_used_pct"] = (
        100 * spend["cost_usd"] / spend["daily_budget_usd"].where(spend["daily_budget_usd"] > 0)
    )
    lines = (
        alt.Chart(spend)
        .mark_line(point=True)
        .encode(
            x=alt.X("episode_date:T", title="day"),
            y=alt.Y("cost_usd:Q", title="spend (USD)"),
            color="channel:N",
            tooltip=["channel", "episode_date", "cost_usd", "budget_used_pct"],
        )
    )
    rules = (
        alt.Chart(budgets)
        .mark_rule(strokeDash=[4, 4])
        .encode(y="daily_budget_usd:Q", color="channel:N", tooltip=["channel", "daily_budget_usd"])
    )
    st.altair_chart(lines + rules, width="stretch")

day = query(q.latest_day)
st.subheader(f"Burn-down on {day}" if day else "Burn-down")
if day:
    calls = query(q.burn_down, day)
    # Each channel's line starts at midnight with the whole budget left.
    starts = pd.DataFrame(
        {"channel": calls["channel"].unique(), "spent_usd": 0.0,
         "created_at": pd.Timestamp(day, tz="UTC")}
    )  # fmt: skip
    if len(calls):
        starts["created_at"] = starts["created_at"].astype(calls["created_at"].dtype)
    calls = pd.concat([starts, calls], ignore_index=True).sort_values(["channel", "created_at"])
    rows = []
    for channel, group in calls.groupby("channel"):
        limit = budgets.loc[budgets["channel"] == channel, "daily_budget_usd"]
        budget = float(limit.iloc[0]) if len(limit) else None
        spent = float(group["spent_usd"].iloc[-1])
        rows.append(
            {"channel": channel, "budget": money(budget), "spent": money(spent),
             "remaining": money(budget - spent) if budget is not None else "—",
             "calls": len(group) - 1}
        )  # fmt: skip
        if budget is not None:
            calls.loc[group.index, "remaining_usd"] = budget - group["spent_usd"]
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="burn_table")
    if "remaining_usd" in calls:
        st.altair_chart(
            alt.Chart(calls.dropna(subset=["remaining_usd"]))
            .mark_line(interpolate="step-after", point=True)
            .encode(
                x=alt.X("created_at:T", title="provider call"),
                y=alt.Y("remaining_usd:Q", title="budget left (USD)"),
                color="channel:N",
            ),
            width="stretch",
        )

st.subheader("Uploads per platform")
states = query(q.platform_states, names)
if states.empty:
    st.info("No uploads yet.")
else:
    st.altair_chart(
        alt.Chart(states)
        .mark_bar()
        .encode(
            x=alt.X("episode_date:T", title="day"),
            y=alt.Y("sum(uploads):Q", title="posts"),
            color=alt.Color("state:N"),
            column=alt.Column("platform:N"),
        ),
    )
    pivot = states.pivot_table(
        index="platform", columns="state", values="uploads", aggfunc="sum", fill_value=0
    ).reset_index()
    st.dataframe(pivot, hide_index=True, key="platform_table")
