"""Scene pictures through the image chain: fall-through, booking once, re-runs call nobody."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from reelforge.constants import DEFAULT_PRICES
from reelforge.defs.assets.images import scene_images
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.story import story
from reelforge.defs.resources.image_providers import ImageProviders
from reelforge.defs.resources.io_manager import RecordIOManager
from reelforge.defs.resources.provider_set import Endpoint
from reelforge.defs.resources.rendering import RenderSettings
from reelforge.defs.resources.storage import LedgerResource, MediaStoreResource
from reelforge.defs.resources.story_providers import StoryProviders
from reelforge.fakes.process import set_faults, stats
from reelforge.lib.ledger import Ledger
from reelforge.lib.media import MediaStore
from reelforge.lib.providers.booking import Booker
from reelforge.partitions import episode_key

SECRET = "sk-test-DO-NOT-LEAK-0987654321"
EPISODE = "space_facts-2026-11-21"
BILLABLE = {"openai": "openai.images", "stability": "stability.images", "fal": "fal.submit"}


def _images(fake: str) -> ImageProviders:
    endpoints = [
        Endpoint(name="openai", protocol="openai", base_url=f"{fake}/openai/v1",
                 api_key=dg.EnvVar("OPENAI_API_KEY"), model="gpt-image-1"),
        Endpoint(name="stability", protocol="stability", base_url=f"{fake}/stability",
                 api_key=dg.EnvVar("STABILITY_API_KEY"), model="core"),
        Endpoint(name="fal", protocol="fal", base_url=f"{fake}/fal",
                 api_key=dg.EnvVar("FAL_KEY"), model="fal-ai/flux/schnell"),
    ]  # fmt: skip
    return ImageProviders(
        mode="remote", endpoints=endpoints, prices_path=str(DEFAULT_PRICES), retry_attempts=2,
        poll_interval=0.01, poll_deadline=10,
    )  # fmt: skip


@pytest.fixture()
def keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("OPENAI_API_KEY", "STABILITY_API_KEY", "FAL_KEY"):
        monkeypatch.setenv(name, SECRET)


def _booked(ledger: Ledger) -> dict[str, int]:
    rows: dict[str, int] = {}
    for call in ledger.calls_for(EPISODE):
        rows[call["provider"]] = rows.get(call["provider"], 0) + 1
    return rows


def _billed(fake: str) -> dict[str, int]:
    counts = stats(fake)
    return {p: counts[f"{r}.ok"] for p, r in BILLABLE.items() if counts.get(f"{r}.ok")}


def test_refusals_fall_through_and_every_picture_is_booked_once(
    fake: str, tmp_path: Path, keys: None
) -> None:
    set_faults(fake, options={"images.refuse": ["openai", "stability"]})
    images = _images(fake).process_config_and_initialize()  # resolves the dg.EnvVar keys
    ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    booker = Booker(ledger, MediaStore(tmp_path / "media"), EPISODE, "scene_images")

    def draw(index: int, wanted: list[str]):
        return images.scene(
            "a red planet", motion="pan_left", genre="space", aspect="9:16", size=(72, 128),
            seed=index, index=index, wanted=wanted, booker=booker,
        )  # fmt: skip

    first = draw(0, ["openai", "stability", "fal"])
    assert first.provider == "fal" and first.value.size == (72, 128)
    assert "openai ✗" in first.summary and "safety" in first.summary
    assert draw(1, ["openai", "local"]).provider == "local"  # refused, then the artist
    assert _booked(ledger) == {"fal": 1, "pillow-artist": 1} and _billed(fake) == {"fal": 1}
    assert stats(fake)["billable.ok"] == 1
    assert ledger.calls_for(EPISODE)[0]["cost_usd"] == pytest.approx(0.025)

    # Refusals lifted: a re-run still takes every scene's booked answer and asks nobody.
    set_faults(fake)
    before = stats(fake)
    again = draw(0, ["openai", "stability", "fal"])
    assert again.provider == "fal" and "booked earlier" in again.summary
    assert draw(1, ["openai", "local"]).provider == "local"
    assert stats(fake) == before and len(ledger.calls_for(EPISODE)) == 2


def _run(tmp: Path, fake: str, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        [generation_plan, story, scene_images],
        partition_key=episode_key("2026-11-21", "space_facts"),
        instance=instance,
        resources={
            "io_manager": RecordIOManager(root=str(tmp / "records")),
            "media": MediaStoreResource(root=str(tmp / "media")),
            "ledger": LedgerResource(url=f"sqlite:///{tmp / 'ledger.sqlite'}"),
            "story_writer": StoryProviders(prices_path=str(DEFAULT_PRICES)),
            "artist": _images(fake),
            "render_settings": RenderSettings(height=128),
        },
    )


def test_scene_images_asset_books_what_the_providers_billed(
    fake: str, tmp_path: Path, keys: None
) -> None:
    # openai is down for good; stability serves, with a fault now and then.
    set_faults(fake, script={"openai.images": ["500"] * 40, "stability.images": ["429"]})
    with dg.instance_for_test() as instance:
        result = _run(tmp_path, fake, instance)
        assert result.success
        meta = result.asset_materializations_for_node("scene_images")[0].metadata
        scenes = len(result.output_for_node("story").scenes)
        assert meta["provider"].value == f"stability ×{scenes}"
        assert "openai ✗" in meta["providers_by_scene"].value
        assert meta["cost_usd"].value == pytest.approx(0.03 * scenes)
        ledger = Ledger(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
        images = [c for c in ledger.calls_for(EPISODE) if c["stage"] == "scene_images"]
        assert _billed(fake) == {"stability": scenes} == {"stability": _booked(ledger)["stability"]}
        assert stats(fake)["billable.ok"] == scenes
        assert {c["provider"] for c in images} == {"stability", "pillow-artist"}
        assert len(images) == scenes + 1  # the title card, drawn locally at $0
        record = result.output_for_node("scene_images")
        assert (record.width, record.height) == (72, 128)

        before = stats(fake)
        again = _run(tmp_path, fake, instance)
        assert again.success
        assert stats(fake) == before  # nobody asked again
        assert len(ledger.calls_for(EPISODE)) == len(images) + 1  # + the story, no more
        assert again.output_for_node("scene_images") == record
        logs = "\n".join(str(e) for r in (result, again) for e in instance.all_logs(r.run_id))
    assert SECRET not in logs
    assert "Composition:" not in logs  # the optimised prompt's text
