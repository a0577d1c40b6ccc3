"""reelforge analysts' dashboard: episodes, cost and engagement from the DuckDB warehouse.

Opens the warehouse read-only (the Dagster writers keep the single write lock) and caches
queries. Never imported by Dagster.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

HOME = Path(os.environ.get("REELFORGE_HOME", Path(__file__).resolve().parents[1] / ".reelforge"))
WAREHOUSE = Path(os.environ.get("REELFORGE_WAREHOUSE", HOME / "warehouse.duckdb"))


@st.cache_data(ttl=60)
def query(path: str, sql: str) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql).df()


def load(sql: str) -> pd.DataFrame:
    return query(str(WAREHOUSE), sql)


def has_data() -> bool:
    if not WAREHOUSE.is_file():
        return False
    tables = load("select table_name from information_schema.tables")
    return "episodes" in set(tables["table_name"])


st.set_page_config(page_title="reelforge", layout="wide")
st.title("reelforge")

if not has_data():
    st.info(
        "No episodes yet. Run `make demo` to render and publish the first episodes offline; "
        "they appear here as soon as their warehouse rows land."
    )
    st.stop()

episodes = load(
    """
    select e.episode_id, e.channel, e.date, e.title, e.genre, e.hook_style, e.duration_s,
           coalesce(max(g.views), 0) as views_7d,
           coalesce((select sum(cost_usd) from provider_calls c
                     where c.episode_id = e.episode_id), 0) as cost_usd
    from episodes e left join engagement g using (episode_id)
    group by all order by e.date desc, e.channel
    """
)
spend = float(episodes["cost_usd"].sum())
views = int(episodes["views_7d"].sum())
cols = st.columns(3)
cols[0].metric("episodes", len(episodes))
cols[1].metric("views (7 d)", f"{views:,}")
cols[2].metric("spend (USD)", f"{spend:.2f}")
st.subheader("Episodes")
st.dataframe(episodes, hide_index=True, use_container_width=True)
