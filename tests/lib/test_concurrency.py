"""Concurrency settings become a loadable Dagster instance with sized pools."""

from pathlib import Path

import dagster as dg
import pytest

from reelforge.constants import DEFAULT_CONCURRENCY
from reelforge.lib.concurrency import CHANNEL_TAG, load_concurrency
from reelforge.ops.instance import MARKER, prepare_instance


def test_shipped_settings_give_an_instance_with_limits(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    home = prepare_instance(tmp_path / "dagster_home")
    text = (home / "dagster.yaml").read_text()
    assert text.startswith(MARKER)
    settings = load_concurrency(DEFAULT_CONCURRENCY)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        limits = instance.get_concurrency_config().run_queue_config.tag_concurrency_limits
        assert limits == [{"key": CHANNEL_TAG, "value": {"applyLimitPerUniqueValue": True},
                           "limit": settings.max_episodes_in_flight_per_channel}]  # fmt: skip
        assert instance.run_monitoring_enabled
        info = instance.event_log_storage.get_concurrency_info("duckdb_writer")
        assert info.slot_count == 1
    # An operator's own dagster.yaml (no marker) is left alone.
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    prepare_instance(home)
    assert (home / "dagster.yaml").read_text() == "telemetry:\n  enabled: false\n"


def test_bad_pool_size_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "c.yaml"
    bad.write_text("pools: {provider_story: 0}\n")
    with pytest.raises(ValueError, match="pool sizes must be 1-1000: provider_story=0"):
        load_concurrency(bad)
