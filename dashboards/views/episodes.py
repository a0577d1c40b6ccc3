"""Episodes: a searchable, paginated table with status, failed stage, cost; thumbnail and video."""

from __future__ import annotations

import math

import streamlit as st
from common import media_source, query, require_episodes, thumbnail_key

from reelforge.lib import analytics_queries as q

PAGE_SIZE = 25

st.title("Episodes")
names = require_episodes()

top = st.columns([3, 2, 2, 1])
search = top[0].text_input("Search title or id", key="episodes_search")
channel = top[1].selectbox("Channel", ["(all)", *query(q.channels)], key="episodes_channel")
status = top[2].selectbox("Status", ["(all)", *q.STATUSES], key="episodes_status")
filters = {
    "search": search,
    "channel": None if channel == "(all)" else channel,
    "status": None if status == "(all)" else status,
}
requested = int(st.session_state.get("episodes_page", 1))
rows, total = query(q.episodes_page, names, page=requested, page_size=PAGE_SIZE, **filters)
pages = max(1, math.ceil(total / PAGE_SIZE))
if requested > pages:  # the filters shrank the result below the page being shown
    st.session_state["episodes_page"] = requested = pages
    rows, total = query(q.episodes_page, names, page=requested, page_size=PAGE_SIZE, **filters)
page = int(top[3].number_input("Page", min_value=1, max_value=pages, key="episodes_page"))
st.caption(f"{total:,} episodes match · page {page} of {pages}")

if rows.empty:
    st.info("No episode matches these filters.")
    st.stop()

st.dataframe(
    rows.drop(columns=["video_key", "thumbnail_key"]),
    hide_index=True,
    column_config={
        "cost_usd": st.column_config.NumberColumn("cost", format="$%.4f"),
        "episode_date": st.column_config.DateColumn("date"),
    },
    key="episodes_table",
)

st.subheader("Watch")
choice = st.selectbox("Episode", list(rows["episode_id"]), key="episodes_pick")
row = rows[rows["episode_id"] == choice].iloc[0]
left, right = st.columns([1, 2])
date = str(row["episode_date"])[:10]
thumb = media_source(row.get("thumbnail_key")) or media_source(
    thumbnail_key(row["channel"], date, row.get("video_key"))
)
with left:
    if thumb:
        st.image(thumb, caption="thumbnail", width=240)
    else:
        st.caption("no thumbnail file in the media store")
    st.markdown(
        f"**{row['title']}**  \nstatus: `{row['status']}`"
        + (f" · failed stage: `{row['failed_stage']}`" if row["failed_stage"] else "")
    )
with right:
    video = media_source(row.get("video_key"))
    if video:
        st.video(video)
    else:
        st.caption("the video is not in the media store")
