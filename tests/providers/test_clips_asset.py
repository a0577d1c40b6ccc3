"""The scene_clips asset: off by default, one clip per story scene when on, fallbacks shown."""

from __future__ import annotations

import itertools
from pathlib import Path

import dagster as dg
import pytest
from PIL import Image

from reelforge.config import ChannelsConfig, ProviderChains
from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.assets import common
from reelforge.defs.assets.clips import DISABLED, clip_seconds, scene_clips
from reelforge.defs.resources.clip_providers import ClipProviders
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.fakes.process import set_faults, stats
from reelforge.lib.clips_local import frame_count
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.models import ClipsRecord, ImagesRecord, NarrationRecord, Span
from reelforge.lib.render.probe import video_info
from reelforge.lib.story import write_story
from reelforge.partitions import current_config, episode_key, episode_partitions

KEY = episode_key("2026-11-21", "space_facts")
EPISODE = "space_facts-2026-11-21"
STORY = write_story(genre="space", hook_style="question", niche="space facts", target_words=60,
                    seed=3)  # fmt: skip
SIZE = (72, 128)
SECRET = "AIza-test-DO-NOT-LEAK-0987654321"


def _upstream(media: Path) -> list[dg.AssetsDefinition]:
    """story, narration and scene_images as plain values (no speech or drawing needed)."""
    store = MediaStore(media)
    keys = []
    for i in range(len(STORY.scenes) + 1):
        path = media.parent / f"{i}.png"
        Image.new("RGB", SIZE, (20 * i, 80, 160)).save(path)
        keys.append(store.put_file(path))
    bounds = [0.0, 1.3, *(1.3 + 1.1 * (k + 1) for k in range(len(STORY.scenes)))]
    segments = [Span(start=a, end=b) for a, b in itertools.pairwise(bounds)]
    narration = NarrationRecord(audio_key=keys[0], duration=bounds[-1], words=[], voice="en-us",
                                integrated_lufs=-16.0, segments=segments)  # fmt: skip
    images = ImagesRecord(width=SIZE[0], height=SIZE[1], title_card_key=keys[0],
                          scene_keys=keys[1:])  # fmt: skip
    values = {"story": STORY, "narration": narration, "scene_images": images}

    def source(name: str) -> dg.AssetsDefinition:
        @dg.asset(name=name, partitions_def=episode_partitions)
        def _value() -> object:
            return values[name]

        return _value

    return [source(n) for n in values]


def _with_clips(monkeypatch: pytest.MonkeyPatch, chain: list[str]) -> None:
    config = current_config()
    channels = [
        c.model_copy(update={"motion_clips": True, "providers": ProviderChains(clips=chain),
                             "daily_budget_usd": 100.0})
        if c.slug == "space_facts" else c
        for c in config.channels
    ]  # fmt: skip
    fresh = ChannelsConfig(calendar=config.calendar, channels=channels)
    monkeypatch.setattr(common, "current_config", lambda: fresh)


def _run(tmp: Path, fake: str, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    key = dg.EnvVar("GEMINI_API_KEY")
    veo = Endpoint(name="veo", protocol="veo", base_url=f"{fake}/veo", api_key=key,
                   model="veo-3.0-fast-generate-001")  # fmt: skip
    clips = ClipProviders(mode="remote", endpoints=[veo], prices_path=str(DEFAULT_PRICES),
                          retry_attempts=2, poll_interval=0.01, poll_max_interval=0.02,
                          deadline_seconds=5, preset="ultrafast")  # fmt: skip
    return dg.materialize(
        [*_upstream(tmp / "media"), scene_clips],
        partition_key=KEY,
        instance=instance,
        resources={
            "io_manager": RecordIOManager(root=str(tmp / "records")),
            "media": MediaStoreResource(root=str(tmp / "media")),
            "ledger": LedgerResource(url=f"sqlite:///{tmp / 'ledger.sqlite'}"),
            "clips": clips,
        },
    )


def test_disabled_channel_gets_an_empty_record_and_calls_nobody(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEMINI_API_KEY", SECRET)
    with dg.instance_for_test() as instance:
        result = _run(tmp_path, fake, instance)
    assert result.output_for_node("scene_clips") == ClipsRecord()
    meta = result.asset_materializations_for_node("scene_clips")[0].metadata
    assert meta["status"].value == DISABLED
    assert stats(fake) == {}


def test_clips_per_scene_with_fallbacks_booked_once(
    fake: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _with_clips(monkeypatch, ["veo"])
    monkeypatch.setenv("GEMINI_API_KEY", SECRET)
    set_faults(fake, options={"clips.polls": 1, "clips.safety_every": 2})  # every 2nd refused
    with dg.instance_for_test() as instance:
        result = _run(tmp_path, fake, instance)
        record: ClipsRecord = result.output_for_node("scene_clips")
        scenes = len(STORY.scenes)
        assert record.enabled and len(record.clip_keys) == scenes
        assert record.providers == ["veo" if i % 2 == 0 else "local" for i in range(scenes)]
        store, seconds = (
            MediaStore(tmp_path / "media"),
            clip_seconds(result.output_for_node("narration")),
        )
        for key, provider, wanted in zip(record.clip_keys, record.providers, seconds, strict=True):
            info = video_info(store.path(key))
            if provider == "local":  # Ken Burns: exactly the scene's length, at render size
                assert (info.width, info.height) == SIZE
                assert info.frames == frame_count(wanted, 30)
            else:  # the provider's shortest length that covers the scene
                assert info.duration >= wanted
        meta = result.asset_materializations_for_node("scene_clips")[0].metadata
        assert meta["fallbacks"].value == scenes // 2
        assert "local (fallback)" in meta["scenes"].value and "safety" in meta["scenes"].value
        ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
        paid = [c for c in ledger.calls_for(EPISODE) if c["provider"] == "veo"]
        assert len(paid) == stats(fake)["billable.ok"] == (scenes + 1) // 2
        assert meta["cost_usd"].value == pytest.approx(sum(c["cost_usd"] for c in paid))

        # A re-run calls nobody for the paid clips; the refused scenes are asked again (a
        # refusal is not booked), refused again here, and fall back to Ken Burns again.
        set_faults(fake, options={"clips.polls": 1, "clips.safety": True})
        before = stats(fake)
        again = _run(tmp_path, fake, instance).output_for_node("scene_clips")
        assert again == record
        after = stats(fake)
        assert after["veo.download.ok"] == before["veo.download.ok"]
        assert after["veo.submit.ok"] - before["veo.submit.ok"] == scenes // 2
        assert len([c for c in ledger.calls_for(EPISODE) if c["provider"] == "veo"]) == len(paid)
        logs = "\n".join(str(e) for e in instance.all_logs(result.run_id))
    assert SECRET not in logs and STORY.scenes[0].visual_prompt not in logs
