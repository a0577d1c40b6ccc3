"""Shared plumbing of the dashboard pages: settings, cached read-only queries, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st

from reelforge.config import ChannelsConfig, ConfigError, load_config
from reelforge.lib import analytics_queries as q
from reelforge.lib.media import MediaKeyError, validate_key
from reelforge.settings import Settings, load_settings

T = TypeVar("T")
CACHE_TTL_S = 30


def settings() -> Settings:
    return load_settings()


def warehouse_path() -> Path:
    return settings().warehouse_path


def _stamp(path: Path) -> float:
    # Part of every cache key: a new write to the warehouse invalidates cached answers.
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0


@st.cache_data(ttl=CACHE_TTL_S, show_spinner=False)
def _cached(name: str, path: str, stamp: float, args: tuple, kwargs: dict) -> Any:
    return getattr(q, name)(Path(path), *args, **kwargs)


def query(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run an `analytics_queries` function against the warehouse, cached for CACHE_TTL_S."""
    path = warehouse_path()
    try:
        return _cached(fn.__name__, str(path), _stamp(path), args, kwargs)
    except q.WarehouseBusy as err:
        st.warning(f"{err}.")
        st.stop()
        raise  # st.stop raises; keeps type checkers honest


def names() -> frozenset[str]:
    return query(q.tables)


def require_episodes() -> frozenset[str]:
    """The warehouse's tables, or a helpful empty state (and stop) on a fresh install."""
    path = warehouse_path()
    if not path.is_file():
        st.info(
            f"No warehouse yet at `{path}`. Run `make demo` to render and publish the first "
            "episodes offline (a few minutes), then reload: their rows land here, and "
            "`make dbt-build` (or the `analytics_marts` job) builds the marts."
        )
        st.stop()
    found = names()
    if not q.has_episodes(found):
        st.info(
            "The warehouse exists but has no episode tables yet: materialize an episode "
            "(`make demo`, or the `episode` job in `make ui`) and reload."
        )
        st.stop()
    if not q.uses_marts(found):
        st.caption(
            "dbt marts not built yet: figures are computed from the raw tables. "
            "Run `make dbt-build` for the full marts."
        )
    return found


def channels_config() -> ChannelsConfig | None:
    try:
        return load_config(settings().config_path)
    except (ConfigError, FileNotFoundError) as err:
        st.error(f"channels config unusable: {err}")
        return None


def media_file(key: str | None) -> Path | None:
    """The local file of a media key, if it is a valid key and the file exists."""
    if not key or not isinstance(key, str):
        return None
    try:
        path = settings().media_root / validate_key(key)
    except MediaKeyError:
        return None
    return path if path.is_file() else None


def thumbnail_key(channel: str, date: str, video_key: str | None) -> str | None:
    """The portrait thumbnail of an episode, from its `videos` record (records/videos/...)."""
    record = settings().records_root / "videos" / date / f"{channel}.json"
    try:
        data = json.loads(record.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    videos = data.get("videos") or []
    for video in videos:
        if not video_key or video.get("video_key") == video_key:
            return video.get("thumbnail_portrait_key") or video.get("thumbnail_landscape_key")
    return None


def money(value: Any) -> str:
    try:
        return f"${float(value):,.2f}"
    except (TypeError, ValueError):
        return "—"
