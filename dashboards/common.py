"""Shared plumbing of the dashboard pages: settings, cached read-only queries, empty states."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import streamlit as st
from botocore.exceptions import BotoCoreError, ClientError

from reelforge import constants as C
from reelforge.config import ChannelsConfig, ConfigError, load_config
from reelforge.lib import analytics_queries as q
from reelforge.lib.media import MediaKeyError, validate_key
from reelforge.lib.platforms.media_links import S3MediaLinks
from reelforge.settings import Settings, load_settings

T = TypeVar("T")
CACHE_TTL_S = 30
# Presigned media links shown in the dashboard stop working after an hour.
MEDIA_URL_EXPIRES_S = 3600


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


@st.cache_resource(show_spinner=False)
def _bucket(bucket: str, endpoint: str, region: str) -> tuple[S3MediaLinks, Any]:
    """The media bucket (production): presigned links and a client for records.

    Credentials come from boto3's own chain (AWS_* variables, ~/.aws, the machine's role);
    the dashboard never handles them itself."""
    import boto3
    from botocore.config import Config

    # SigV4 explicitly: with a custom endpoint botocore would presign with SigV2.
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint or None, region_name=region,
        config=Config(signature_version="s3v4", retries={"max_attempts": 4, "mode": "standard"}),
    )  # fmt: skip
    return S3MediaLinks(client, bucket, C.S3_MEDIA_PREFIX), client


def bucket() -> tuple[S3MediaLinks, Any] | None:
    """The S3 media bucket when REELFORGE_MEDIA_BUCKET is set; None for local media."""
    v = settings().variables
    name = v.get(C.ENV_MEDIA_BUCKET)
    if not name:
        return None
    endpoint = v.get(C.ENV_S3_ENDPOINT_URL, "")
    return _bucket(name, endpoint, v.get(C.ENV_S3_REGION) or C.DEFAULT_S3_REGION)


def media_source(key: str | None) -> str | None:
    """What st.image/st.video can show for a media key: a presigned, expiring URL of the
    object in S3, or the local file; None for an invalid key or missing media."""
    if not key or not isinstance(key, str):
        return None
    try:
        validate_key(key)
    except MediaKeyError:
        return None
    remote = bucket()
    if remote is not None:
        return remote[0].presigned(key, MEDIA_URL_EXPIRES_S)
    path = settings().media_root / key
    return str(path) if path.is_file() else None


def _record(asset: str, date: str, channel: str) -> dict[str, Any] | None:
    """An asset's record for one slot: from S3 when media lives there, else the local copy."""
    name = f"{asset}/{date}/{channel}.json"
    remote = bucket()
    try:
        if remote is not None:
            client = remote[1]
            body = client.get_object(Bucket=remote[0].bucket, Key=C.S3_RECORDS_PREFIX + name)
            return dict(json.loads(body["Body"].read()))
        return dict(json.loads((settings().records_root / name).read_text(encoding="utf-8")))
    except (OSError, ValueError, ClientError, BotoCoreError):
        return None  # a missing or unreadable record shows as "no thumbnail"


def thumbnail_key(channel: str, date: str, video_key: str | None) -> str | None:
    """The portrait thumbnail of an episode, from its `videos` record."""
    data = _record("videos", date, channel) or {}
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
