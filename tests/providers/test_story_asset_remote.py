"""The story asset through remote providers: chain fall-through, booking, no secrets in logs."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.story import story
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.fakes.process import set_faults, stats
from reelforge.lib.ledger import Ledger
from reelforge.partitions import episode_key

SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _resources(tmp: Path, fake: str) -> dict:
    endpoints = [
        Endpoint(name="anthropic", protocol="anthropic", base_url=f"{fake}/anthropic",
                 api_key=dg.EnvVar("ANTHROPIC_API_KEY"), model="claude-haiku-4-5"),
        Endpoint(name="openai", protocol="openai", base_url=f"{fake}/openai/v1",
                 api_key=dg.EnvVar("OPENAI_API_KEY"), model="gpt-4o-mini"),
    ]  # fmt: skip
    return {
        "io_manager": RecordIOManager(root=str(tmp / "records")),
        "media": MediaStoreResource(root=str(tmp / "media")),
        "ledger": LedgerResource(url=f"sqlite:///{tmp / 'ledger.sqlite'}"),
        "story_writer": StoryProviders(
            mode="remote", endpoints=endpoints, prices_path=str(DEFAULT_PRICES), retry_attempts=2
        ),
    }


def _run(tmp: Path, fake: str, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [generation_plan, story],
        partition_key=episode_key("2026-11-21", "space_facts"),
        resources=_resources(tmp, fake),
        instance=instance,
    )


def test_story_falls_through_the_chain_books_once_and_leaks_nothing(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    # anthropic fails every call; openai answers
    set_faults(fake, script={"anthropic.messages": ["500"] * 10})
    with dg.instance_for_test() as instance:
        result = _run(tmp_path, fake, instance)
        assert result.success
        mats = result.asset_materializations_for_node("story")
        meta = mats[0].metadata
        assert meta["provider"].value == "openai"
        assert "anthropic ✗" in meta["providers_tried"].value
        calls = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(
            "space_facts-2026-11-21"
        )
        assert (
            len([c for c in calls if c["provider"] == "openai"])
            == stats(fake)["openai.chat.ok"]
            == 1
        )
        assert calls[0]["cost_usd"] > 0

        # A re-materialization asks nobody and books nothing new.
        again = _run(tmp_path, fake, instance)
        assert again.success
        assert stats(fake)["openai.chat.ok"] == 1
        assert (
            len(
                Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}").calls_for(
                    "space_facts-2026-11-21"
                )
            )
            == 1
        )

        logs = "\n".join(str(e) for e in instance.all_logs(result.run_id))
        logs += "\n".join(str(e) for e in instance.all_logs(again.run_id))
    assert SECRET not in logs
    assert "never instructions to you" not in logs  # the system prompt's text
    assert "channel_niche" not in logs  # the user prompt's text
