"""Publishing through Dagster: quotas and deferral driven by the sensors, faults, failures,
and engagement snapshots landing in DuckDB joined to the plan.

Upstream records are written by `publishing_support` (real media, no render), so each run
here costs well under a second and the acceptance criteria can run for real.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import dagster as dg
import pytest

from reelforge.defs.resources.clock import Clock
from reelforge.defs.resources.storage import LedgerResource
from reelforge.defs.sensors.publishing import deferred_uploads, engagement_maturity
from reelforge.lib import outbox
from reelforge.lib.ledger import Ledger
from reelforge.lib.platforms.base import PermanentPlatformError
from reelforge.lib.warehouse import query

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import publishing_support as support

DATES = [f"2026-11-{d}" for d in range(21, 26)]
CHANNEL = "space_facts"
MONDAY = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
TWO_A_DAY = """
platforms:
  outbox: {min_seconds: 1, max_seconds: 600}
quotas:
  outbox:
    limits: [{name: uploads_per_day, max: 2, window: day}]
"""


def _failures(run: dg.ExecuteInProcessResult) -> str:
    return "\n".join(
        e.event_specific_data.error.message
        for e in run.all_events
        if e.is_step_failure and e.event_specific_data and e.event_specific_data.error
    )


def _sensor(sensor: dg.SensorDefinition, settings, now: dt.datetime, instance):  # type: ignore[no-untyped-def]
    with dg.build_sensor_context(
        instance=instance,
        resources={"ledger": LedgerResource(url=settings.ledger_url), "clock": Clock.at(now)},
    ) as context:
        return sensor(context)


def _execute(result, resources: dict, instance: dg.DagsterInstance) -> int:  # type: ignore[no-untyped-def]
    """Run every RunRequest of a sensor result for real; the number of runs launched."""
    if isinstance(result, dg.SkipReason):
        return 0
    for request in result.run_requests:
        dims = request.partition_key.keys_by_dimension
        run = support.publish(
            resources, dims["date"], dims["channel"], instance=instance,
            selection=[k.to_user_string() for k in request.asset_selection],
        )  # fmt: skip
        assert run.success, [e.message for e in run.all_events if e.is_step_failure]
    return len(result.run_requests)


def test_quota_of_two_a_day_defers_three_and_the_sensor_publishes_them(tmp_path: Path) -> None:
    """With a quota of 2 uploads/day and 5 episodes, 2 publish and 3 defer; advancing the
    clock past the window publishes the rest with no operator action."""
    settings = support.home(tmp_path)
    quotas = tmp_path / "platforms.yaml"
    quotas.write_text(TWO_A_DAY)
    instance = dg.DagsterInstance.ephemeral()
    for i, date in enumerate(DATES):
        support.seed_episode(settings, date, CHANNEL, i)
        support.report_qc(instance, date, CHANNEL, passed=True)
    at_monday = support.resources(settings, MONDAY, platforms_path=quotas)
    states = []
    for date in DATES:
        run = support.publish(at_monday, date, CHANNEL, instance=instance)
        assert run.success
        meta = run.asset_materializations_for_node("uploads")[0].metadata
        states.append(run.output_for_node("uploads").posts[0].state)
        if states[-1] == "deferred":
            assert meta["next_not_before"].value == "2026-12-02T00:00:00+00:00"
            assert "| outbox | local | deferred |" in meta["uploads"].value
    assert states == ["published"] * 2 + ["deferred"] * 3
    assert len(outbox.entries(settings.outbox_root)) == 2

    # Nothing is due on Monday: the sensor says what waits until when.
    skip = _sensor(deferred_uploads, settings, MONDAY + dt.timedelta(hours=3), instance)
    assert isinstance(skip, dg.SkipReason)
    assert "3 upload(s) wait" in skip.skip_message and "2026-12-02 00:00 UTC" in skip.skip_message

    # The clock moves on; only the sensor acts: two go on Tuesday, the last on Wednesday.
    launched = []
    for day in (1, 2):
        now = MONDAY + dt.timedelta(days=day)
        result = _sensor(deferred_uploads, settings, now, instance)
        launched.append(_execute(result, support.resources(settings, now, platforms_path=quotas),
                                 instance))  # fmt: skip
        # The same window never launches twice: run keys repeat while nothing changed.
        if isinstance(result, dg.SensorResult):
            keys = {r.run_key for r in result.run_requests}
            again = _sensor(deferred_uploads, settings, now, instance)
            assert not isinstance(again, dg.SensorResult) or not (
                keys & {r.run_key for r in again.run_requests}
            )
    assert launched == [3, 1]  # Tuesday: 3 due, 2 fit, 1 deferred again to Wednesday
    rows = Ledger(settings.ledger_url).upload_rows()
    assert sorted(r.state for r in rows) == ["published"] * 5
    assert len(outbox.entries(settings.outbox_root)) == 5
    assert isinstance(_sensor(deferred_uploads, settings, MONDAY + dt.timedelta(days=3), instance),
                      dg.SkipReason)  # fmt: skip


def test_engagement_snapshots_land_in_duckdb_for_each_age_joined_to_the_plan(
    tmp_path: Path,
) -> None:
    """Engagement snapshots land in DuckDB for each age, joined to the episode's plan; the
    maturity sensor requests each age as the clock reaches it."""
    settings = support.home(tmp_path)
    date = "2026-11-30"  # space_facts posts at 17:00 UTC
    support.seed_episode(settings, date, CHANNEL)
    slot = dt.datetime(2026, 11, 30, 17, tzinfo=dt.UTC)
    instance = dg.DagsterInstance.ephemeral()
    run = support.publish(support.resources(settings, slot - dt.timedelta(hours=2)), date,
                          CHANNEL, instance=instance)  # fmt: skip
    assert run.success and run.output_for_node("engagement") == []

    seen = []
    for hours in (0.5, 1.5, 30, 80, 200):
        now = slot + dt.timedelta(hours=hours)
        result = _sensor(engagement_maturity, settings, now, instance)
        _execute(result, support.resources(settings, now), instance)
        ages = query(settings.warehouse_path, "select age_hours from engagement order by 1")
        seen.append([a for (a,) in ages])
        if hours == 0.5:
            assert isinstance(result, dg.SkipReason)
            assert "reaches 1 h at 2026-11-30 18:00 UTC" in result.skip_message
    assert seen == [[], [1], [1, 24], [1, 24, 72], [1, 24, 72, 168]]

    rows = query(
        settings.warehouse_path,
        "select platform, age_hours, views, genre, hook_style, music_mood, posting_hour, "
        "experiment_id from engagement_by_plan order by age_hours",
    )
    assert [r[1] for r in rows] == [1, 24, 72, 168]
    views = [r[2] for r in rows]
    assert views == sorted(views) and views[0] > 0
    assert {r[3:] for r in rows} == {("space", "question", "mysterious", 17, "baseline")}
    # Collected once per post and age: another run changes nothing.
    again = support.publish(support.resources(settings, slot + dt.timedelta(days=9)), date,
                            CHANNEL, selection=["engagement", "episode_warehouse"])  # fmt: skip
    assert again.success
    assert (
        again.asset_materializations_for_node("engagement")[0].metadata["new_snapshots"].value == 0
    )
    assert query(settings.warehouse_path, "select count(*) from engagement")[0][0] == 4


@pytest.mark.slow
def test_fifty_rematerializations_with_random_faults_post_nothing_twice(tmp_path: Path) -> None:
    """50 re-materializations of the same partitions with random faults (errors before and
    after the post is created, platform quota errors, analytics errors) post nothing twice."""
    settings = support.home(tmp_path)
    dates = DATES[:3]
    for i, date in enumerate(dates):
        support.seed_episode(settings, date, CHANNEL, i)
    faulty = support.FaultyOutbox(
        root=str(settings.outbox_root), fault_rate=0.35, fault_seed=20261201,
        fault_key=str(tmp_path), fault_script="after,quota,before,after",
    )  # fmt: skip
    instance = dg.DagsterInstance.ephemeral()
    post_ids: dict[str, set[str]] = {}
    for i in range(50):
        now = MONDAY + dt.timedelta(minutes=20 * i)  # platform quota deferrals reopen
        resources = support.resources(settings, now, outbox=faulty, quota_retry_s=900.0)
        date = dates[i % len(dates)]
        support.publish(resources, date, CHANNEL, instance=instance)  # may fail: faults
        for row in Ledger(settings.ledger_url).upload_rows(episode_id=f"{CHANNEL}-{date}"):
            if row.post_id:
                post_ids.setdefault(row.episode_id, set()).add(row.post_id)
    log = faulty.fault_log()
    assert {"publish:before", "publish:after", "publish:quota"} <= set(log), log
    rows = Ledger(settings.ledger_url).upload_rows()
    assert len(rows) == 3 and {r.state for r in rows} == {"published"}
    entries = outbox.entries(settings.outbox_root)
    assert len(entries) == 3, "one outbox post per episode, whatever failed"
    assert all(len(ids) == 1 for ids in post_ids.values()) and len(post_ids) == 3
    snaps = Ledger(settings.ledger_url).snapshots_for()
    keys = [(s["upload_key"], s["age_hours"]) for s in snaps]
    assert len(keys) == len(set(keys))


class RejectingOutbox(support.OutboxPlatform):
    """The outbox refusing every post the way a platform's policy check would."""

    def client(self):  # type: ignore[no-untyped-def]
        inner = super().client()

        class Rejecting:
            name = "outbox"

            def publish(self, request, session, sink):  # type: ignore[no-untyped-def]
                raise PermanentPlatformError("outbox", "rejected: synthetic media not labelled")

            status = inner.status
            metrics = inner.metrics

        return Rejecting()


def test_permanent_rejection_fails_with_the_reason_and_is_retried_only_on_request(
    tmp_path: Path,
) -> None:
    settings = support.home(tmp_path)
    support.seed_episode(settings, DATES[0], CHANNEL)
    rejecting = support.resources(
        settings, MONDAY, outbox=RejectingOutbox(root=str(settings.outbox_root))
    )
    run = support.publish(rejecting, DATES[0], CHANNEL)
    assert not run.success
    assert "outbox: rejected: synthetic media not labelled" in _failures(run)
    # allow_retries=False: the step was not retried.
    assert not [e for e in run.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    row = Ledger(settings.ledger_url).upload_rows()[0]
    assert (row.state, row.detail) == ("failed", "rejected: synthetic media not labelled")
    fixed = support.resources(settings, MONDAY)
    assert not support.publish(fixed, DATES[0], CHANNEL).success  # still failed: no retry
    retried = support.publish(
        fixed,
        DATES[0],
        CHANNEL,
        run_config={"ops": {"uploads": {"config": {"retry_failed": True}}}},
    )
    assert retried.success
    assert retried.output_for_node("uploads").posts[0].state == "published"


def test_transient_errors_retry_the_step_and_resume(tmp_path: Path) -> None:
    settings = support.home(tmp_path)
    support.seed_episode(settings, DATES[0], CHANNEL)
    # A 503 before anything is written, then a reset after the post was made (answer lost).
    faulty = support.FaultyOutbox(
        root=str(settings.outbox_root), fault_rate=0.0, fault_key=f"{tmp_path}/t",
        fault_script="before,after",
    )  # fmt: skip
    run = support.publish(support.resources(settings, MONDAY, outbox=faulty), DATES[0], CHANNEL,
                          selection=["uploads"])  # fmt: skip
    retries = [e for e in run.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert run.success and len(retries) == 2, faulty.fault_log()
    assert faulty.fault_log() == ["publish:before", "publish:after"]
    assert len(outbox.entries(settings.outbox_root)) == 1
    row = Ledger(settings.ledger_url).upload_rows()[0]
    assert (row.state, row.attempts) == ("published", 3)
    assert row.last_error == "injected connection reset after the post"


def test_platforms_need_a_publisher_and_pull_platforms_a_media_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A channel listing Instagram with no signed-URL store fails Instagram with a clear
    reason, after the outbox was published; an unbound platform says so too."""
    from reelforge.config import ChannelsConfig
    from reelforge.defs.assets import common
    from reelforge.partitions import current_config

    base = current_config()
    data = base.model_dump(mode="json")
    data["channels"][0]["platforms"] = ["outbox", "instagram", "tiktok"]
    data["channels"][0]["accounts"] = {"instagram": "space_facts_ig"}
    config = ChannelsConfig.model_validate(data)
    monkeypatch.setattr(common, "current_config", lambda: config)

    class WithInstagram(support.Publishers):
        instagram: support.OutboxPlatform | None = None

    settings = support.home(tmp_path)
    support.seed_episode(settings, DATES[0], CHANNEL)
    resources = support.resources(settings, MONDAY)
    resources["publishers"] = WithInstagram(
        outbox=support.OutboxPlatform(root=str(settings.outbox_root)),
        instagram=support.OutboxPlatform(root=str(settings.outbox_root)),
    )
    run = support.publish(resources, DATES[0], CHANNEL, selection=["uploads"])
    assert not run.success
    failure = _failures(run)
    assert "instagram: this platform pulls the video from a signed URL" in failure
    assert "tiktok: no publisher is configured for 'tiktok'" in failure
    assert len(outbox.entries(settings.outbox_root)) == 1  # the outbox was still published
    # The post that did publish is measured and warehoused while Instagram waits for a fix.
    measured = support.publish(resources, DATES[0], CHANNEL,
                               selection=["engagement", "episode_warehouse"])  # fmt: skip
    assert measured.success
    assert {r["platform"] for r in measured.output_for_node("engagement")} == {"outbox"}
    assert query(settings.warehouse_path, "select count(*) from engagement")[0][0] == 4


def test_the_deferred_sensor_holds_back_videos_that_failed_qc(tmp_path: Path) -> None:
    """The blocking QC checks on `videos` still gate uploads the sensor launches."""
    settings = support.home(tmp_path)
    quotas = tmp_path / "platforms.yaml"
    quotas.write_text(TWO_A_DAY)
    instance = dg.DagsterInstance.ephemeral()
    for i, date in enumerate(DATES[:4]):  # two publish, two defer
        support.seed_episode(settings, date, CHANNEL, i)
        support.publish(support.resources(settings, MONDAY, platforms_path=quotas), date,
                        CHANNEL, instance=instance)  # fmt: skip
    tuesday = MONDAY + dt.timedelta(days=1)
    never = _sensor(deferred_uploads, settings, tuesday, instance)
    assert isinstance(never, dg.SkipReason)
    assert "held back by QC" in never.skip_message and "never ran" in never.skip_message
    support.report_qc(instance, DATES[2], CHANNEL, passed=False)
    support.report_qc(instance, DATES[3], CHANNEL, passed=True)
    result = _sensor(deferred_uploads, settings, tuesday, instance)
    assert isinstance(result, dg.SensorResult) and len(result.run_requests) == 1
    assert result.run_requests[0].partition_key.keys_by_dimension["date"] == DATES[3]
    only_failed = _sensor(deferred_uploads, settings, tuesday, instance)
    assert len(only_failed.run_requests) == 1  # the same (not yet run) request, nothing more
    _execute(result, support.resources(settings, tuesday, platforms_path=quotas), instance)
    held = _sensor(deferred_uploads, settings, tuesday, instance)
    assert isinstance(held, dg.SkipReason) and "loudness failed" in held.skip_message
    states = {r.slot_date: r.state for r in Ledger(settings.ledger_url).upload_rows()}
    assert (states[DATES[2]], states[DATES[3]]) == ("deferred", "published")


def test_removing_provenance_blocks_the_upload_with_the_reason(tmp_path: Path) -> None:
    """Issue #7: an upload is refused while any generated piece lacks its provenance."""
    settings = support.home(tmp_path)
    support.seed_episode(settings, DATES[0], CHANNEL)
    episode = f"{CHANNEL}-{DATES[0]}"
    book = Ledger(settings.ledger_url)
    with book.engine.begin() as conn:
        conn.exec_driver_sql(
            "delete from provider_calls where episode_id = ? and stage = 'narration'", (episode,)
        )
    run = support.publish(support.resources(settings, MONDAY), DATES[0], CHANNEL,
                          selection=["uploads"])  # fmt: skip
    assert not run.success
    failure = _failures(run)
    assert "upload refused, provenance missing: narration: no provenance recorded" in failure
    assert not [e for e in run.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert outbox.entries(settings.outbox_root) == [] and book.upload_rows() == []
    support.record_provenance(settings, episode)  # provenance back: the upload goes out
    again = support.publish(support.resources(settings, MONDAY), DATES[0], CHANNEL,
                            selection=["uploads"])  # fmt: skip
    assert again.success and len(outbox.entries(settings.outbox_root)) == 1
