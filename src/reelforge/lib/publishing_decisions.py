"""Pure decisions of the publishing sensors and assets: what is due, when, and why not yet.

`deferred_uploads` asks `due_uploads`; `engagement_maturity` asks `due_snapshots`; the
`engagement` asset asks `matured_ages`. Plain values in and out (ledger rows, datetimes).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from reelforge.lib.ledger import Upload

# Rows that wait for a time: deferred ones (quota) and ones the platform is still processing.
WAITING_STATES = ("deferred", "processing")


def public_time(
    scheduled: dt.datetime | None, uploaded: dt.datetime, simulated_calendar: bool
) -> dt.datetime:
    """When a post counts as public, the origin of its snapshot ages.

    A real platform publishes at the scheduled time if it is still ahead, else at once. The
    local outbox's simulated audience lives on the content calendar: its posts are public at
    their slot's posting hour even when uploaded later (so past demo slots have matured).
    """
    if scheduled is not None and simulated_calendar:
        return scheduled
    return max(uploaded, scheduled) if scheduled is not None else uploaded


def slot_of(row: Upload) -> tuple[str, str]:
    """(date, channel) of an upload's partition (rows from the first ledger lack the columns:
    their episode id is ``<channel>-<date>``)."""
    if row.channel and row.slot_date:
        return row.slot_date, row.channel
    channel, _, date = row.episode_id.partition("-")
    return date, channel


def _fmt(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


@dataclass(frozen=True)
class DueUploads:
    due: list[Upload] = field(default_factory=list)
    waiting: list[Upload] = field(default_factory=list)

    def by_partition(self) -> dict[tuple[str, str], list[Upload]]:
        out: dict[tuple[str, str], list[Upload]] = {}
        for row in self.due:
            out.setdefault(slot_of(row), []).append(row)
        return out

    def skip_reason(self, now: dt.datetime) -> str:
        if not self.waiting:
            return f"no deferred or processing uploads at {_fmt(now)}"
        soonest = sorted(self.waiting, key=lambda r: r.not_before or now)
        parts = [
            f"{r.episode_id} → {r.platform}/{r.account} {r.state} until "
            f"{_fmt(r.not_before) if r.not_before else '?'}"
            + (f" ({r.detail})" if r.detail else "")
            for r in soonest[:5]
        ]
        more = f"; and {len(soonest) - 5} more" if len(soonest) > 5 else ""
        return f"{len(soonest)} upload(s) wait: " + "; ".join(parts) + more


def due_uploads(rows: Iterable[Upload], now: dt.datetime) -> DueUploads:
    """Split waiting rows into those whose window has opened and those still waiting."""
    result = DueUploads()
    for row in rows:
        if row.state not in WAITING_STATES:
            continue
        if row.not_before is None or row.not_before <= now:
            result.due.append(row)
        else:
            result.waiting.append(row)
    return result


def upload_run_key(rows: Sequence[Upload]) -> str:
    """Unique per partition, deferral and attempt: the same window never launches twice, a
    new deferral (a later `not_before`) or a new attempt launches again."""
    parts = sorted(
        f"{r.platform}/{r.account}@{r.not_before.isoformat() if r.not_before else '-'}#{r.attempts}"
        for r in rows
    )
    date, channel = slot_of(rows[0])
    return f"deferred:{channel}:{date}:" + ",".join(parts)


def matured_ages(
    published_at: dt.datetime, now: dt.datetime, ages_hours: Sequence[int]
) -> list[int]:
    """Snapshot ages a post published at `published_at` has reached by `now`."""
    return [a for a in ages_hours if published_at + dt.timedelta(hours=a) <= now]


@dataclass(frozen=True)
class DueSnapshots:
    # (date, channel) → ages matured and not yet collected, over the partition's posts
    due: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    next_at: dt.datetime | None = None
    next_what: str = ""

    def skip_reason(self, now: dt.datetime) -> str:
        if self.next_at is None:
            return f"every published post has all its snapshots at {_fmt(now)}"
        return f"no snapshot due at {_fmt(now)}; next: {self.next_what} at {_fmt(self.next_at)}"


def published_time(row: Upload) -> dt.datetime | None:
    return row.published_at or (row.updated_at if row.state == "published" else None)


def due_snapshots(
    rows: Iterable[Upload],
    collected: Mapping[str, set[int]],
    now: dt.datetime,
    ages_hours: Sequence[int],
) -> DueSnapshots:
    """Partitions with a matured snapshot not yet collected, and the next maturity if none."""
    due: dict[tuple[str, str], set[int]] = {}
    next_at: dt.datetime | None = None
    next_what = ""
    for row in rows:
        published = published_time(row)
        if row.state != "published" or published is None or not row.post_id:
            continue
        have = collected.get(row.upload_key, set())
        for age in ages_hours:
            if age in have:
                continue
            at = published + dt.timedelta(hours=age)
            if at <= now:
                due.setdefault(slot_of(row), set()).add(age)
            elif next_at is None or at < next_at:
                next_at, next_what = at, f"{row.episode_id} on {row.platform} reaches {age} h"
    return DueSnapshots({k: sorted(v) for k, v in due.items()}, next_at, next_what)


def snapshot_run_key(date: str, channel: str, ages: Sequence[int]) -> str:
    return f"engagement:{channel}:{date}:" + ",".join(str(a) for a in sorted(ages))


@dataclass(frozen=True)
class Outcome:
    """What publishing to one platform came to in this attempt (shown in the UI)."""

    platform: str
    account: str
    state: str  # the row's state afterwards
    upload_key: str = ""
    post_id: str | None = None
    url: str | None = None
    not_before: dt.datetime | None = None
    reason: str = ""
    newly_published: bool = False
    attempts: int = 0
    # None: fine (published, deferred, processing); "transient": retry; "permanent": do not.
    error: str | None = None


def outcomes_table(outcomes: Sequence[Outcome]) -> str:
    """Markdown table of platform / state / post id / url / not_before / reason."""
    lines = [
        "| platform | account | state | post id | url | not before | reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for o in outcomes:
        reason = o.reason.replace("|", "\\|").replace("\n", " ")[:300]
        lines.append(
            f"| {o.platform} | {o.account} | {o.state} | {o.post_id or ''} | {o.url or ''} | "
            f"{_fmt(o.not_before) if o.not_before else ''} | {reason} |"
        )
    return "\n".join(lines)


@dataclass(frozen=True)
class CheckStatus:
    """The latest evaluation of one QC check of an episode's videos."""

    name: str
    status: str | None  # "SUCCEEDED", "FAILED", "PLANNED", or None: never evaluated
    current: bool = True  # it judged the latest materialization of the videos


def qc_block_reason(checks: Sequence[CheckStatus], expected: Sequence[str]) -> str | None:
    """Why the episode's videos may not be uploaded yet, or None when every QC check passed
    on the latest render (the gate of runs that do not render, e.g. sensor-launched ones)."""
    by_name = {c.name: c for c in checks}
    problems = []
    for name in expected:
        check = by_name.get(name)
        if check is None or check.status is None:
            problems.append(f"{name} never ran")
        elif check.status == "FAILED":
            problems.append(f"{name} failed")
        elif check.status != "SUCCEEDED":
            problems.append(f"{name} is {check.status.lower()}")
        elif not check.current:
            problems.append(f"{name} has not checked the latest render")
    return "QC: " + ", ".join(problems) if problems else None
