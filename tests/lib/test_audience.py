from __future__ import annotations

import json

import pytest

from reelforge.constants import DEFAULT_SIM_TRUTH
from reelforge.lib.audience import engagement_at, load_truth, simulate

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


def _mean_views(truth, plan: dict, seeds: range = range(40)) -> float:
    return sum(simulate(truth, plan, 40.0, (168,), seed=s)[0].views for s in seeds) / len(seeds)


def test_two_truth_files_rank_plans_as_they_say(tmp_path) -> None:
    """The simulator with two different truth files ranks plans differently, as the files say."""
    base = json.loads(DEFAULT_SIM_TRUTH.read_text())
    calm = {**PLAN, "music_mood": "calm", "hook_style": "countdown"}
    epic = {**PLAN, "music_mood": "epic", "hook_style": "shocking_fact"}
    files = {}
    for name, moods, hooks in (
        ("a", {"calm": 1.6, "epic": 0.7}, {"countdown": 1.3, "shocking_fact": 0.9}),
        ("b", {"calm": 0.7, "epic": 1.6}, {"countdown": 0.9, "shocking_fact": 1.3}),
    ):
        data = json.loads(json.dumps(base))
        data["categorical"]["music_mood"] = moods
        data["categorical"]["hook_style"] = hooks
        files[name] = tmp_path / f"{name}.json"
        files[name].write_text(json.dumps(data))
    a, b = load_truth(files["a"]), load_truth(files["b"])
    # Noise-free truth and the simulated, noisy engagement agree on each file's ranking.
    assert a.expected_views(calm) > a.expected_views(epic)
    assert b.expected_views(epic) > b.expected_views(calm)
    assert _mean_views(a, calm) > 1.5 * _mean_views(a, epic)
    assert _mean_views(b, epic) > 1.5 * _mean_views(b, calm)


def test_channel_size_scales_views_and_is_optional(tmp_path) -> None:
    truth = load_truth(DEFAULT_SIM_TRUTH)
    assert truth.channel_size is not None
    big = simulate(truth, PLAN, 40.0, (168,), seed=3, channel="space_facts")[0].views
    small = simulate(truth, PLAN, 40.0, (168,), seed=3, channel="history_bites")[0].views
    reference = simulate(truth, PLAN, 40.0, (168,), seed=3)[0].views
    # (40k / 10k) ** 0.5 = 2 and (8k / 10k) ** 0.5 ≈ 0.894, same noise draw (same seed).
    assert big == pytest.approx(2 * reference, rel=0.01)
    assert small == pytest.approx(0.894 * reference, rel=0.01)
    assert truth.expected_views(PLAN, channel="space_facts") == pytest.approx(
        2 * truth.expected_views(PLAN)
    )
    legacy = json.loads(DEFAULT_SIM_TRUTH.read_text())
    legacy.pop("channel_size")
    path = tmp_path / "legacy.json"
    path.write_text(json.dumps(legacy))
    old = load_truth(path)
    assert simulate(old, PLAN, 40.0, (168,), seed=3, channel="space_facts")[0].views == reference


def test_interactions_apply_only_when_every_value_matches(tmp_path) -> None:
    data = json.loads(DEFAULT_SIM_TRUTH.read_text())
    data["interactions"] = [{"when": {"genre": "space", "music_mood": "calm"}, "factor": 2.0}]
    path = tmp_path / "i.json"
    path.write_text(json.dumps(data))
    truth, plain = load_truth(path), load_truth(DEFAULT_SIM_TRUTH)
    assert truth.expected_views(PLAN) == pytest.approx(2 * plain.expected_views(PLAN))
    other = {**PLAN, "music_mood": "epic"}
    assert truth.expected_views(other) == pytest.approx(plain.expected_views(other))


def test_engagement_at_any_age_matches_the_snapshots() -> None:
    truth = load_truth(DEFAULT_SIM_TRUTH)
    snaps = simulate(truth, PLAN, 40.0, (1, 24), seed=9, channel="space_facts")
    for snap in snaps:
        at = engagement_at(truth, PLAN, 40.0, snap.age_hours, 9, channel="space_facts")
        assert at["views"] == snap.views and at["likes"] == snap.likes
    half = engagement_at(truth, PLAN, 40.0, 12.5, 9, channel="space_facts")
    assert snaps[0].views < half["views"] < snaps[1].views
    assert half["subscribers_gained"] > 0 and half["avg_view_duration_s"] > 0
