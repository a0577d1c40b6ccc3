"""Policy: the next plans, which parameters matter, and analyst overrides (pin, exclude, A/B)."""

from __future__ import annotations

from typing import get_args

import altair as alt
import pandas as pd
import streamlit as st
from common import channels_config, names, query, settings

from reelforge.lib import analytics_queries as q
from reelforge.lib.models import CaptionStyle
from reelforge.lib.music import MOODS
from reelforge.lib.overrides import KINDS, PARAMETERS, OverrideError, OverrideStore
from reelforge.lib.story import GENRES, HOOK_STYLES

KIND_LABELS = {"pin": "pin a value", "exclude": "exclude values", "ab": "A/B split of two"}


@st.cache_resource
def override_store(url: str) -> OverrideStore:
    return OverrideStore(url)


def choices(parameter: str, voices: list[str]) -> list[str] | None:
    """Allowed values of a categorical parameter; None for numeric ones (typed in)."""
    return {
        "genre": list(GENRES),
        "hook_style": list(HOOK_STYLES),
        "music_mood": list(MOODS),
        "caption_style": list(get_args(CaptionStyle)),
        "voice": voices,
    }.get(parameter)


st.title("Policy")
found = names() if settings().warehouse_path.is_file() else frozenset()

st.subheader("Next plans")
plans = query(q.policy_plans, found) if found else None
if plans is None:
    st.info(
        "The policy has not planned anything yet: materialize `generation_policy` (it needs "
        "the dbt marts: `make dbt-build`) and its next plans and explanations appear here. "
        "Overrides below apply from the next plan on."
    )
else:
    pick = st.selectbox("Channel", ["(all)", *sorted(plans["channel"].unique())], key="plan_ch")
    shown = plans if pick == "(all)" else plans[plans["channel"] == pick]
    st.dataframe(
        shown,
        hide_index=True,
        column_config={"date": st.column_config.DateColumn("date")},
        key="plans_table",
    )

st.subheader("Which parameters matter")
importance = query(q.policy_importance, found) if found else None
if importance is None or importance.empty:
    st.info("No feature importance yet: the policy writes it each time it fits.")
else:
    st.altair_chart(
        alt.Chart(importance)
        .mark_bar()
        .encode(x=alt.X("importance:Q"), y=alt.Y("parameter:N", sort="-x")),
        width="stretch",
    )

st.subheader("Overrides")
config = channels_config()
slugs = [c.slug for c in config.channels] if config else []
voices = sorted({c.voice for c in config.channels} | {"en-us", "en-gb"}) if config else []
store = override_store(settings().ledger_url)
if not slugs:
    st.info("No channels configured: overrides are set per channel (config/channels.yaml).")
else:
    cols = st.columns(3)
    channel = cols[0].selectbox("Channel", slugs, key="ov_channel")
    parameter = cols[1].selectbox("Parameter", list(PARAMETERS), key="ov_parameter")
    kind = cols[2].radio(
        "Kind", list(KINDS), format_func=KIND_LABELS.get, horizontal=True, key="ov_kind"
    )
    options = choices(parameter, voices)
    if options is None:
        typed = st.text_input(
            "Values (comma-separated numbers)", key="ov_values_text", placeholder="e.g. 30, 45"
        )
        values = [v.strip() for v in typed.split(",") if v.strip()]
    else:
        values = st.multiselect("Values", options, key="ov_values")
    meta = st.columns(2)
    reason = meta[0].text_input("Reason", key="ov_reason")
    author = meta[1].text_input("Author", value="analyst", key="ov_author")
    if st.button("Save override", type="primary", key="ov_save"):
        if not reason.strip():
            st.error("Give a reason: it goes into the audit log.")
        else:
            try:
                saved = store.add(channel, parameter, kind, values, reason.strip(), author)
            except OverrideError as err:
                st.error(str(err))
            else:
                st.success(f"Saved #{saved.override_id}: {channel} {saved.describe()}")

active = store.active()
st.markdown("**Active overrides**")
if not active:
    st.caption("none: the policy decides alone")
else:
    table = pd.DataFrame(
        [
            {"id": o.override_id, "channel": o.channel, "override": o.describe(),
             "reason": o.reason, "author": o.author, "since": o.created_at}
            for o in active
        ]
    )  # fmt: skip
    st.dataframe(table, hide_index=True, key="ov_active")
    cols = st.columns([1, 3, 1])
    remove_id = cols[0].selectbox("Override", [o.override_id for o in active], key="ov_rm_id")
    why = cols[1].text_input("Why remove it", key="ov_rm_reason")
    if cols[2].button("Remove", key="ov_remove"):
        try:
            store.remove(int(remove_id), why.strip() or "removed in the dashboard", "analyst")
        except OverrideError as err:
            st.error(str(err))
        else:
            st.success(f"Removed #{remove_id}")
            st.rerun()

st.markdown("**Audit log**")
audit = store.audit(100)
if audit:
    st.dataframe(
        pd.DataFrame(audit).drop(columns=["detail_json"]).astype({"detail": str}),
        hide_index=True,
        key="ov_audit",
    )
else:
    st.caption("no entries yet")
