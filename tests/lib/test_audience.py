from __future__ import annotations

import json

from reelforge.constants import DEFAULT_SIM_TRUTH
from reelforge.lib.audience import load_truth, simulate

PLAN = {
    "genre": "space",
    "hook_style": "question",
    "music_mood": "calm",
    "caption_style": "karaoke",
    "voice": "en-us",
    "target_seconds": 40,
    "posting_hour": 18,
    "speaking_rate_wpm": 170,
}


def test_snapshots_are_deterministic_and_monotonic() -> None:
    truth = load_truth(DEFAULT_SIM_TRUTH)
    a = simulate(truth, PLAN, 40.0, (1, 24, 72, 168), seed=7)
    assert a == simulate(truth, PLAN, 40.0, (1, 24, 72, 168), seed=7)
    views = [s.views for s in a]
    assert views == sorted(views) and views[0] < views[-1]
    assert all(s.likes <= s.views for s in a)


def test_truth_ranks_plans(tmp_path) -> None:
    truth = load_truth(DEFAULT_SIM_TRUTH)
    good = {**PLAN, "hook_style": "shocking_fact", "genre": "space"}
    bad = {**PLAN, "hook_style": "story_open", "genre": "motivation", "posting_hour": 4}
    assert truth.expected_views(good) > 1.5 * truth.expected_views(bad)
    flipped = json.loads(DEFAULT_SIM_TRUTH.read_text())
    flipped["categorical"]["genre"] = {"motivation": 2.0, "space": 0.5}
    path = tmp_path / "t.json"
    path.write_text(json.dumps(flipped))
    other = load_truth(path)
    assert other.expected_views({**PLAN, "genre": "motivation"}) > other.expected_views(PLAN)
