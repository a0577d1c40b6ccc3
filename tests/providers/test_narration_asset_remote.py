"""The narration asset through remote voices: provider in metadata, booking, no secrets."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.assets.narration import narration
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.story import story
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.speech_providers import SpeechProviders
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.fakes.process import set_faults, stats
from reelforge.lib.ledger import Ledger
from reelforge.partitions import episode_key

SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _resources(tmp: Path, fake: str) -> dict:
    endpoints = [
        Endpoint(name="elevenlabs", protocol="elevenlabs", base_url=f"{fake}/elevenlabs",
                 api_key=dg.EnvVar("ELEVENLABS_API_KEY"), model="eleven_multilingual_v2"),
        Endpoint(name="openai", protocol="openai", base_url=f"{fake}/openai/v1",
                 api_key=dg.EnvVar("OPENAI_API_KEY"), model="gpt-4o-mini-tts"),
    ]  # fmt: skip
    return {
        "io_manager": RecordIOManager(root=str(tmp / "records")),
        "media": MediaStoreResource(root=str(tmp / "media")),
        "ledger": LedgerResource(url=f"sqlite:///{tmp / 'ledger.sqlite'}"),
        "story_writer": StoryProviders(prices_path=str(DEFAULT_PRICES)),
        "speech": SpeechProviders(
            mode="remote", endpoints=endpoints, prices_path=str(DEFAULT_PRICES), retry_attempts=2
        ),
    }


def test_narration_served_remotely_is_booked_once_and_leaks_nothing(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ELEVENLABS_API_KEY", SECRET)
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    set_faults(fake, script={"elevenlabs.tts": ["500"] * 10})  # space_facts: elevenlabs first
    key = episode_key("2026-11-21", "space_facts")
    assets = [generation_plan, story, narration]
    with dg.instance_for_test() as instance:
        first = dg.materialize(assets, partition_key=key, resources=_resources(tmp_path, fake),
                               instance=instance)  # fmt: skip
        assert first.success
        meta = first.asset_materializations_for_node("narration")[0].metadata
        assert meta["provider"].value == "openai"
        assert "elevenlabs ✗" in meta["providers_tried"].value
        assert meta["voice"].value == "alloy"  # the documented default
        assert meta["cost_usd"].value > 0
        record = first.output_for_node("narration")
        assert record.words and record.words[-1].end <= record.duration
        ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
        speech_rows = [c for c in ledger.calls_for("space_facts-2026-11-21")
                       if c["stage"] == "narration"]  # fmt: skip
        counts = stats(fake)
        assert len(speech_rows) == counts["openai.speech.ok"] == len(record.segments)

        again = dg.materialize(assets, partition_key=key,
                               resources=_resources(tmp_path, fake), instance=instance)  # fmt: skip
        assert again.success
        assert stats(fake) == counts
        events = [e for run in (first, again) for e in instance.all_logs(run.run_id)]
    assert SECRET not in "\n".join(str(e) for e in events)
    # The narration step never logs the script (the story asset shows it on purpose).
    spoken = " ".join(w.text for w in record.words[:4])
    assert spoken not in "\n".join(str(e) for e in events if e.step_key == "narration")
