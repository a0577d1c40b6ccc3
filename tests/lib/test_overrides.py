"""Analyst overrides: validated, one active per channel and parameter, every change audited."""

from pathlib import Path

import pytest

from reelforge.lib.overrides import OverrideError, OverrideStore


def test_overrides_replace_remove_and_audit(tmp_path: Path) -> None:
    store = OverrideStore(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    pin = store.add("space_facts", "genre", "pin", ["space"], "best so far", "ana")
    assert pin.describe() == "genre pinned to space"
    split = store.add("space_facts", "genre", "ab", ["space", "mystery"], "test it", "ana")
    store.add("history_bites", "posting_hour", "exclude", ["3", "4"], "night", "bo")
    assert [o.override_id for o in store.active("space_facts")] == [split.override_id]
    assert len(store.active()) == 2
    store.remove(split.override_id, "done", "ana")
    assert store.active("space_facts") == []
    with pytest.raises(OverrideError, match="no active override"):
        store.remove(split.override_id, "again", "ana")
    actions = [a["action"] for a in store.audit()]
    assert actions == ["override.remove", "override.add", "override.add", "override.add"]
    assert store.audit()[-1]["detail"]["values"] == ["space"]


@pytest.mark.parametrize(
    ("parameter", "kind", "values", "message"),
    [
        ("colour", "pin", ["red"], "not steerable"),
        ("genre", "boost", ["space"], "kind 'boost'"),
        ("genre", "pin", ["space", "history"], "exactly one value"),
        ("genre", "ab", ["space", "space"], "two different values"),
        ("genre", "exclude", [" "], "must not be empty"),
    ],
)
def test_bad_overrides_are_refused_clearly(
    tmp_path: Path, parameter: str, kind: str, values: list[str], message: str
) -> None:
    store = OverrideStore(f"sqlite:///{tmp_path / 'ledger.sqlite'}")
    with pytest.raises(OverrideError, match=message):
        store.add("space_facts", parameter, kind, values, "", "ana")
    assert store.active() == [] and store.audit() == []
