"""Overview: spend, views, cost per 1k views, and their trends by channel."""

from __future__ import annotations

import altair as alt
import streamlit as st
from common import money, query, require_episodes

from reelforge.lib import analytics_queries as q

st.title("Overview")
names = require_episodes()
data = query(q.overview, names)
totals = data.totals.iloc[0]
cols = st.columns(4)
cols[0].metric("Episodes", f"{int(totals['episodes']):,}")
cols[1].metric("Spend", money(totals["cost_usd"]))
cols[2].metric("Views", f"{int(totals['views']):,}")
per_1k = totals["cost_per_1k_views"]
cols[3].metric("Cost per 1k views", money(per_1k) if per_1k is not None else "—")

st.subheader("By channel")
st.dataframe(
    data.by_channel,
    hide_index=True,
    column_config={
        "cost_usd": st.column_config.NumberColumn("spend", format="$%.4f"),
        "cost_per_1k_views": st.column_config.NumberColumn("cost / 1k views", format="$%.4f"),
        "effective_cost_per_1k_views": st.column_config.NumberColumn(
            "cost / 1k views (with floor)", format="$%.4f"
        ),
    },
)

st.subheader("Trends by channel")
daily = data.daily
if daily.empty:
    st.info("No days with episodes yet.")
else:
    base = alt.Chart(daily).encode(
        x=alt.X("episode_date:T", title="day"), color=alt.Color("channel:N")
    )
    left, right = st.columns(2)
    left.altair_chart(
        base.mark_line(point=True)
        .encode(y=alt.Y("views:Q", title="views"))
        .properties(title="Views per day"),
        width="stretch",
    )
    right.altair_chart(
        base.mark_line(point=True)
        .encode(y=alt.Y("cost_usd:Q", title="spend (USD)"))
        .properties(title="Spend per day"),
        width="stretch",
    )
