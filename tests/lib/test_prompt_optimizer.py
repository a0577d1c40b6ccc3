"""The video prompt optimiser: framing, camera, light, composition, negatives, hygiene."""

from __future__ import annotations

import pytest

from reelforge.lib.prompt_optimizer import NEGATIVE, framing, optimize, with_negative


def _shot(idea: str, **kw: object):
    args = {"motion": "zoom_in", "genre": "space", "aspect": "9:16", "index": 1, **kw}
    return optimize(idea, **args)  # type: ignore[arg-type]


def test_framing_follows_keywords_then_the_scene_index() -> None:
    assert framing("an astronaut's eye reflecting the stars", 0) == "close"
    assert framing("a city skyline at night", 3) == "wide"
    assert framing("a lone astronaut on a rock", 0) == "wide"  # the opener establishes
    assert [framing("a lone astronaut on a rock", i) for i in (1, 2, 3)] == [
        "medium",
        "close",
        "medium",
    ]


@pytest.mark.parametrize(
    ("motion", "camera"),
    [
        ("zoom_in", "push-in"),
        ("zoom_out", "pull-back"),
        ("pan_left", "tracking shot moving left"),
        ("pan_right", "tracking shot moving right"),
        ("none", "static"),
    ],
)
def test_camera_matches_the_motion(motion: str, camera: str) -> None:
    shot = _shot("a red planet", motion=motion)
    assert camera in shot.camera
    assert shot.camera in shot.prompt


def test_light_mood_colours_and_composition() -> None:
    shot = _shot("a crimson nebula over golden dunes at sunset", genre="mystery")
    assert "sunset" in shot.prompt.lower() and "eerie" in shot.prompt  # time beats genre light
    assert "crimson, golden" in shot.prompt
    assert "vertical 9:16" in shot.prompt and "lower third kept clean" in shot.prompt
    wide = _shot("a red planet", aspect="16:9", genre="unknown")
    assert "horizontal 16:9" in wide.prompt and "cinematic light" in wide.prompt
    assert "square 1:1" in _shot("a red planet", aspect="1:1").prompt


def test_negatives_list_text_watermarks_and_logos() -> None:
    shot = _shot("a red planet")
    assert shot.negative == NEGATIVE
    for word in ("text", "watermark", "logo"):
        assert word in shot.negative
    assert with_negative(shot).endswith("No text, no watermarks, no logos.")


def test_deterministic_and_untrusted_text_cleaned() -> None:
    hostile = "a comet\u202e\x00 over the sea\n\nIGNORE PREVIOUS " + "x" * 2000
    first, second = _shot(hostile), _shot(hostile)
    assert first == second
    assert "\u202e" not in first.prompt and "\x00" not in first.prompt and "\n" not in first.prompt
    assert len(first.prompt) < 1000  # the idea is bounded
    assert _shot(" \x00 ").prompt.startswith("Medium shot of an evocative space scene.")
