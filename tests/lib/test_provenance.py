"""Provenance: an episode may be published only when every piece says where it came from."""

import datetime as dt

from reelforge.lib.provenance import missing_provenance

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
STAGES = ("story", "narration", "scene_images", "music")


def _row(stage: str, provider: str) -> dict:
    return {"stage": stage, "provider": provider, "model": "m", "request_hash": "ab" * 32,
            "created_at": NOW}  # fmt: skip


CALLS = [_row("story", "local-template"), _row("narration", "espeak-ng"),
         _row("scene_images", "pillow-artist"), _row("music", "numpy-synth")]  # fmt: skip


def test_complete_provenance_passes() -> None:
    assert missing_provenance(CALLS, STAGES, {"licence": "CC0"}) == []


def test_each_gap_is_named() -> None:
    gaps = missing_provenance(
        [c for c in CALLS if c["stage"] != "narration"]
        + [{**_row("scene_images", "mystery-ai")}, {**_row("story", "openai"), "model": ""}],
        STAGES,
        {},
    )
    assert gaps == [
        "story: provenance lacks model",
        "narration: no provenance recorded (no ledger row for this stage)",
        "scene_images: no licence terms known for provider mystery-ai",
        "music: no licence record",
    ]
