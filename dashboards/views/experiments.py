"""Experiments: engagement per dollar and lift per arm, with 95 % confidence intervals."""

from __future__ import annotations

import altair as alt
import streamlit as st
from common import query, require_episodes

from reelforge.lib import analytics_queries as q

st.title("Experiments")
st.caption(
    "Engagement per dollar = views at the latest snapshot (≤ 7 d) / max(cost, $0.02 floor); "
    "mature episodes only (latest snapshot ≥ 24 h). Bars: 95 % confidence intervals."
)
names = require_episodes()

results = query(q.experiment_results, names)
st.subheader("Lift per arm")
if results.empty:
    st.info("No mature episodes yet: lifts appear once snapshots are at least 24 h old.")
else:
    experiment = st.selectbox(
        "Experiment",
        sorted(results["experiment_id"].unique(), key=lambda e: (e == "baseline", e)),
        key="experiment_pick",
    )
    arms = (
        results[results["experiment_id"] == experiment]
        .sort_values(["episodes", "lift"], ascending=False)
        .head(30)
    )
    st.caption(f"{len(arms)} best-observed arms of {experiment}, most episodes first")
    y = alt.Y("arm_id:N", sort=alt.EncodingSortField("lift", order="descending"), title="arm")
    chart = alt.layer(
        alt.Chart(arms)
        .mark_rule()
        .encode(
            x=alt.X("lift_ci_low:Q", title="lift vs experiment mean"), x2="lift_ci_high:Q", y=y
        ),
        alt.Chart(arms)
        .mark_point(filled=True, size=70)
        .encode(x="lift:Q", y=y, tooltip=["arm_id", "episodes", "lift", "genre", "hook_style"]),
    ).properties(height=max(160, 34 * len(arms)))
    st.altair_chart(chart, width="stretch")
    st.dataframe(arms, hide_index=True, key="experiment_table")

st.subheader("Engagement per dollar by parameter")
arm_perf = query(q.arm_performance, names)
if arm_perf.empty:
    st.info("No mature episodes yet.")
else:
    parameter = st.selectbox(
        "Parameter", list(dict.fromkeys(arm_perf["parameter"])), key="arm_parameter"
    )
    rows = arm_perf[arm_perf["parameter"] == parameter]
    y = alt.Y(
        "value:N",
        sort=alt.EncodingSortField("engagement_per_dollar", order="descending"),
        title=parameter,
    )
    chart = alt.layer(
        alt.Chart(rows)
        .mark_rule()
        .encode(
            x=alt.X("engagement_per_dollar_ci_low:Q", title="views per dollar"),
            x2="engagement_per_dollar_ci_high:Q",
            y=y,
        ),
        alt.Chart(rows)
        .mark_point(filled=True, size=70)
        .encode(x="engagement_per_dollar:Q", y=y, tooltip=["value", "episodes", "mean_views"]),
    ).properties(height=max(160, 34 * len(rows)))
    st.altair_chart(chart, width="stretch")
    st.dataframe(rows, hide_index=True, key="arm_table")
