"""deploy/dagster.yaml on a real PostgreSQL: a real run stored there, its queue limits loaded.

The instance is loaded from the file as shipped (copied into a temporary DAGSTER_HOME), with
only the environment pointing at a PostgreSQL started on 127.0.0.1; the ledger lives on the
same server, as in production.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest
import sqlalchemy as sa

from reelforge.constants import DEFAULT_CONCURRENCY, DEFAULT_PRICES, PRODUCTION_DAGSTER_YAML
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.story import story
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.lib.concurrency import CHANNEL_TAG, load_concurrency
from reelforge.lib.ledger import Ledger
from reelforge.ops.instance import apply_pools, prepare_instance
from reelforge.ops.postgres import PostgresServer
from reelforge.partitions import episode_key

pytestmark = pytest.mark.slow


def test_a_run_on_the_production_instance_lands_in_postgres(
    postgres: PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dagster_db = postgres.create_database("dagster_prod_instance")
    ledger_url = postgres.create_database("reelforge_prod_ledger")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PRODUCTION_DAGSTER_YAML, home / "dagster.yaml")
    for name, value in {
        **postgres.dagster_env("dagster_prod_instance"),
        "DAGSTER_HOME": str(home),
        "REELFORGE_HOME": str(tmp_path / "reelforge"),
    }.items():
        monkeypatch.setenv(name, value)

    settings = load_concurrency(DEFAULT_CONCURRENCY)
    # `reelforge instance-setup` keeps the operator's file and sizes the pools in PostgreSQL.
    prepare_instance(home)
    assert (home / "dagster.yaml").read_bytes() == PRODUCTION_DAGSTER_YAML.read_bytes()
    assert apply_pools(home, settings) == settings.pools

    partition = episode_key("2026-11-21", "space_facts")
    with dg.DagsterInstance.from_config(str(home)) as instance:
        # Every storage is dagster-postgres, and the queue carries the per-channel limit.
        storages = (instance.run_storage, instance.event_log_storage, instance.schedule_storage)
        for storage in storages:
            assert type(storage).__module__.startswith("dagster_postgres."), storage
        assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
        queue = instance.get_concurrency_config().run_queue_config
        assert queue is not None
        assert queue.max_concurrent_runs == settings.max_concurrent_runs
        assert queue.tag_concurrency_limits == [
            {
                "key": CHANNEL_TAG,
                "value": {"applyLimitPerUniqueValue": True},
                "limit": settings.max_episodes_in_flight_per_channel,
            }
        ]
        assert instance.run_monitoring_enabled
        assert instance.run_retries_max_retries == 1
        assert instance.run_retries_retry_on_asset_or_op_failure is False

        result = dg.materialize(
            [generation_plan, story],
            partition_key=partition,
            instance=instance,
            resources={
                "io_manager": RecordIOManager(root=str(tmp_path / "records")),
                "media": MediaStoreResource(root=str(tmp_path / "media")),
                "ledger": LedgerResource(url=ledger_url),
                "story_writer": StoryProviders(
                    mode="local", endpoints=[], prices_path=str(DEFAULT_PRICES)
                ),
            },
        )
        assert result.success
        run_id = result.run_id
        # The story step held a provider_story slot; it is free again after the run.
        info = instance.event_log_storage.get_concurrency_info("provider_story")
        assert info.slot_count == settings.pools["provider_story"]
        assert info.active_slot_count == 0

    # The run and its events are rows of the PostgreSQL database, read without Dagster.
    engine = sa.create_engine(dagster_db)
    try:
        with engine.connect() as conn:
            status = conn.execute(
                sa.text("SELECT status FROM runs WHERE run_id = :r"), {"r": run_id}
            ).scalar_one()
            materialized = conn.execute(
                sa.text(
                    "SELECT asset_key FROM event_logs WHERE run_id = :r "
                    "AND dagster_event_type = 'ASSET_MATERIALIZATION' ORDER BY asset_key"
                ),
                {"r": run_id},
            ).scalars()
            tags = dict(
                conn.execute(
                    sa.text("SELECT key, value FROM run_tags WHERE run_id = :r"), {"r": run_id}
                ).all()
            )
            materialized = list(materialized)
    finally:
        engine.dispose()
    assert status == "SUCCESS"
    assert materialized == ['["generation_plan"]', '["story"]']
    # The tag the per-channel queue limit counts.
    assert tags[CHANNEL_TAG] == "space_facts"

    # The ledger on the same server booked the story's provider call, once.
    calls = Ledger(ledger_url).calls_for("space_facts-2026-11-21")
    assert [c["provider"] for c in calls if c["stage"] == "story"] == ["local-template"]
