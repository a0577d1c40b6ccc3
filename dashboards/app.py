"""reelforge analysts' dashboard: a multipage Streamlit app over the DuckDB warehouse.

Opens the warehouse read-only (the Dagster writers and dbt keep the single write lock) and
caches queries; overrides go to the ledger database through `OverrideStore`. Never imported
by Dagster. Run it with `make dashboard`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # `common` sits beside this file
    sys.path.insert(0, str(HERE))

PAGES = [
    st.Page(HERE / "views" / "overview.py", title="Overview", icon="📈", default=True),
    st.Page(HERE / "views" / "episodes.py", title="Episodes", icon="🎬"),
    st.Page(HERE / "views" / "experiments.py", title="Experiments", icon="🧪"),
    st.Page(HERE / "views" / "policy.py", title="Policy", icon="🎯"),
    st.Page(HERE / "views" / "budget.py", title="Budget & quotas", icon="💰"),
    st.Page(HERE / "views" / "review.py", title="Review queue", icon="🛡️"),
]

st.set_page_config(page_title="reelforge", page_icon="🎞️", layout="wide")
st.navigation(PAGES).run()
