"""The sensors' pure decisions: which uploads are due, which snapshots have matured."""

from __future__ import annotations

import datetime as dt

from reelforge.constants import SNAPSHOT_AGES_HOURS
from reelforge.lib.ledger import Upload
from reelforge.lib.publishing_decisions import (
    Outcome,
    due_snapshots,
    due_uploads,
    matured_ages,
    outcomes_table,
    public_time,
    slot_of,
    snapshot_run_key,
    upload_run_key,
)

NOW = dt.datetime(2026, 12, 1, 12, tzinfo=dt.UTC)


def _row(n: int, state: str, **kw: object) -> Upload:
    base: dict[str, object] = {
        "upload_key": f"{n:064d}", "content_hash": "a" * 64, "platform": "outbox",
        "account": "local", "episode_id": f"space_facts-2026-11-2{n}", "state": state,
        "post_id": None, "url": None, "channel": "space_facts", "slot_date": f"2026-11-2{n}",
    }  # fmt: skip
    base.update(kw)
    return Upload(**base)  # type: ignore[arg-type]


def test_deferred_uploads_are_due_when_their_window_opens() -> None:
    rows = [
        _row(1, "deferred", not_before=NOW - dt.timedelta(minutes=1)),
        _row(2, "deferred", not_before=NOW + dt.timedelta(hours=12), detail="quota per_day"),
        _row(3, "processing", not_before=NOW),
        _row(4, "published", post_id="p"),
    ]
    found = due_uploads(rows, NOW)
    assert [r.episode_id for r in found.due] == ["space_facts-2026-11-21", "space_facts-2026-11-23"]
    assert list(found.by_partition()) == [
        ("2026-11-21", "space_facts"),
        ("2026-11-23", "space_facts"),
    ]
    reason = found.skip_reason(NOW)
    assert "space_facts-2026-11-22 → outbox/local deferred until 2026-12-02 00:00 UTC" in reason
    assert "quota per_day" in reason
    assert due_uploads([], NOW).skip_reason(NOW).startswith("no deferred or processing uploads")


def test_run_key_changes_with_each_deferral_and_attempt() -> None:
    a = _row(1, "deferred", not_before=NOW, attempts=0)
    assert upload_run_key([a]) == upload_run_key([a])
    assert upload_run_key([a]).startswith("deferred:space_facts:2026-11-21:")
    later = _row(1, "deferred", not_before=NOW + dt.timedelta(days=1), attempts=0)
    retried = _row(1, "deferred", not_before=NOW, attempts=1)
    assert len({upload_run_key([a]), upload_run_key([later]), upload_run_key([retried])}) == 3


def test_snapshots_mature_at_fixed_ages() -> None:
    published = NOW - dt.timedelta(hours=30)
    assert matured_ages(published, NOW, SNAPSHOT_AGES_HOURS) == [1, 24]
    assert matured_ages(NOW, NOW, SNAPSHOT_AGES_HOURS) == []
    rows = [
        _row(1, "published", post_id="p1", published_at=published),
        _row(2, "published", post_id="p2", published_at=NOW - dt.timedelta(minutes=30)),
        _row(3, "deferred"),
    ]
    found = due_snapshots(rows, {rows[0].upload_key: {1}}, NOW, SNAPSHOT_AGES_HOURS)
    assert found.due == {("2026-11-21", "space_facts"): [24]}
    collected = {rows[0].upload_key: {1, 24}}
    none_due = due_snapshots(rows, collected, NOW, SNAPSHOT_AGES_HOURS)
    assert none_due.due == {}
    assert none_due.next_at == NOW + dt.timedelta(minutes=30)
    assert "space_facts-2026-11-22 on outbox reaches 1 h" in none_due.skip_reason(NOW)
    assert snapshot_run_key("2026-11-21", "space_facts", [24, 1]) == (
        "engagement:space_facts:2026-11-21:1,24"
    )


def test_public_time_of_real_and_simulated_platforms() -> None:
    slot = dt.datetime(2026, 11, 21, 17, tzinfo=dt.UTC)
    assert public_time(slot, NOW, simulated_calendar=True) == slot
    assert public_time(slot, NOW, simulated_calendar=False) == NOW  # the slot has passed
    ahead = NOW + dt.timedelta(hours=5)
    assert public_time(ahead, NOW, simulated_calendar=False) == ahead
    assert public_time(None, NOW, simulated_calendar=False) == NOW


def test_rows_of_the_first_ledger_map_to_their_partition() -> None:
    old = _row(1, "deferred", channel=None, slot_date=None)
    assert slot_of(old) == ("2026-11-21", "space_facts")


def test_outcomes_table_shows_state_post_and_not_before() -> None:
    table = outcomes_table([
        Outcome("outbox", "local", "published", post_id="outbox-1", url="file:///p"),
        Outcome("youtube", "main", "deferred", not_before=NOW, reason="quota | daily"),
    ])  # fmt: skip
    lines = table.splitlines()
    assert lines[0].startswith("| platform | account | state | post id | url | not before |")
    assert "| outbox | local | published | outbox-1 | file:///p |" in lines[2]
    assert "2026-12-01 12:00 UTC" in lines[3] and "quota \\| daily" in lines[3]
