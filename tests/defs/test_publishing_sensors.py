"""The publishing sensors as Dagster sees them: targets, default status, SkipReasons."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg

from reelforge.definitions import defs
from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.storage import LedgerResource
from reelforge.defs.sensors.publishing import deferred_uploads, engagement_maturity
from reelforge.lib.ledger import Ledger
from reelforge.lib.quotas import UNLIMITED

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _evaluate(sensor: dg.SensorDefinition, url: str, now: dt.datetime):  # type: ignore[no-untyped-def]
    with dg.build_sensor_context(
        instance=dg.DagsterInstance.ephemeral(),
        resources={"ledger": LedgerResource(url=url), "clock": Clock.at(now)},
    ) as context:
        return sensor(context)


def test_sensors_are_loaded_running_and_target_the_publishing_assets() -> None:
    definitions = defs()
    for name, targets in (
        ("deferred_uploads", {"uploads", "engagement", "episode_warehouse"}),
        ("engagement_maturity", {"engagement", "episode_warehouse"}),
    ):
        sensor = definitions.resolve_sensor_def(name)
        assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
        assert sensor.description
        job = definitions.resolve_job_def(sensor.job_name)
        keys = job.asset_layer.executable_asset_keys
        assert {k.to_user_string() for k in keys} == targets


def test_empty_ledger_skips_with_a_reason(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    skip = _evaluate(deferred_uploads, url, NOW)
    assert isinstance(skip, dg.SkipReason)
    assert skip.skip_message == "no deferred or processing uploads at 2026-12-01 12:00 UTC"
    skip = _evaluate(engagement_maturity, url, NOW)
    assert isinstance(skip, dg.SkipReason) and "all its snapshots" in skip.skip_message


def test_engagement_maturity_requests_the_partition_of_a_matured_post(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    book = Ledger(url)
    row, _ = book.ensure_upload(
        "a" * 64, "outbox", "local", "history_bites-2026-11-30",
        channel="history_bites", slot_date="2026-11-30", now=NOW,
    )  # fmt: skip
    book.acquire_lease(row.upload_key, "t", NOW, 60)
    book.admit_upload(row.upload_key, "t", UNLIMITED, NOW)
    published = NOW - dt.timedelta(hours=2)
    book.transition(row.upload_key, "t", "published", NOW, post_id="p", published_at=published)
    result = _evaluate(engagement_maturity, url, NOW)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.run_requests
    assert request.partition_key == dg.MultiPartitionKey(
        {"date": "2026-11-30", "channel": "history_bites"}
    )
    assert request.run_key == "engagement:history_bites:2026-11-30:1"
    assert {k.to_user_string() for k in request.asset_selection} == {
        "engagement", "episode_warehouse",
    }  # fmt: skip
