"""Issue #5 end to end: the uploads asset publishing to YouTube, TikTok, Instagram and the
outbox (the fakes, and moto for Instagram's signed media URL), re-materialized 50 times under
random faults, posts every episode exactly once on every platform."""

from __future__ import annotations

import datetime as dt
import uuid
from pathlib import Path

import dagster as dg
import publishing_support as support
import pytest
from platform_helpers import BUCKET, write_token_file

from reelforge.config import ChannelsConfig
from reelforge.defs.assets import common
from reelforge.defs.resources.platform_clients import (
    InstagramPlatform,
    S3MediaLinks,
    TikTokPlatform,
    YouTubePlatform,
)
from reelforge.fakes.process import set_faults, state, stats
from reelforge.lib import outbox
from reelforge.lib.ledger import Ledger
from reelforge.partitions import current_config

pytestmark = pytest.mark.slow
CHANNEL = "space_facts"
DATES = ["2026-11-23", "2026-11-24", "2026-11-25"]
MONDAY = dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC)
PLATFORMS = ["outbox", "youtube", "tiktok", "instagram"]


def test_fifty_faulty_rematerializations_post_once_on_every_platform(
    fake: str, links: object, moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = current_config().model_dump(mode="json")
    data["channels"][0]["platforms"] = PLATFORMS
    config = ChannelsConfig.model_validate(data)
    monkeypatch.setattr(common, "current_config", lambda: config)

    who = uuid.uuid4().hex[:8]  # fake platforms keep posts per credential
    token = write_token_file(tmp_path / "yt.json", refresh_token=f"yt-{who}")
    settings = support.home(tmp_path)
    for i, date in enumerate(DATES):
        support.seed_episode(settings, date, CHANNEL, i)
    fast = {"retry_attempts": 3, "retry_base_s": 0.0, "timeout_s": 5.0}
    platforms = {
        "youtube": YouTubePlatform(
            account="space", token_file=str(token), base_url=f"{fake}/youtube/",
            token_uri=f"{fake}/youtube/oauth2/token", chunk_size_kib=256, **fast,
        ),
        "tiktok": TikTokPlatform(
            account="space", access_token=f"tt-{who}", base_url=f"{fake}/tiktok",
            poll_interval_s=0.0, **fast,
        ),
        "instagram": InstagramPlatform(
            account="space", access_token=f"ig-token-{who}", ig_user_id=f"ig-{who}",
            base_url=f"{fake}/instagram", poll_interval_s=0.0, poll_max_interval_s=0.0,
            poll_deadline_s=2.0, **fast,
        ),
    }  # fmt: skip
    signer = S3MediaLinks(bucket=BUCKET, endpoint_url=moto_url, aws_access_key_id="testing",
                          aws_secret_access_key="testing")  # fmt: skip
    set_faults(fake, rate=0.35, seed=5, kinds=["429", "500", "drop", "malformed"], retry_after=0,
               timeout_seconds=1)  # fmt: skip
    instance = dg.DagsterInstance.ephemeral()
    for i in range(50):
        now = MONDAY + dt.timedelta(minutes=30 * i)
        resources = support.resources(settings, now, quota_retry_s=600.0, **platforms)
        resources["media_links"] = signer
        support.publish(
            resources, DATES[i % 3], CHANNEL, instance=instance, selection=["uploads"]
        )  # fmt: skip  (faults: a run may fail)
    faults = {k: v for k, v in stats(fake).items() if ".fault." in k}
    assert sum(faults.values()) >= 8, faults  # the faults really happened
    # Faults off: whatever is still pending finishes; nothing is posted a second time.
    set_faults(fake, rate=0.0)
    for j, date in enumerate(DATES):
        resources = support.resources(settings, MONDAY + dt.timedelta(days=2, minutes=j),
                                      **platforms)  # fmt: skip
        resources["media_links"] = signer
        run = support.publish(resources, date, CHANNEL, instance=instance, selection=["uploads"])
        assert run.success, _failures(run)

    rows = Ledger(settings.ledger_url).upload_rows()
    assert sorted((r.platform, r.state) for r in rows) == sorted(
        (p, "published") for p in PLATFORMS for _ in DATES
    )
    for family, account in (("youtube", f"yt-{who}"), ("tiktok", f"tt-{who}"),
                            ("instagram", f"ig-{who}")):  # fmt: skip
        seen = state(fake, family)["accounts"][account]
        assert len(seen["posts"]) == 3, (family, seen["posts"])
        assert seen["duplicates"] == 0, family
    assert len(outbox.entries(settings.outbox_root)) == 3
    post_ids = {(r.platform, r.post_id) for r in rows}
    assert len(post_ids) == 12


def _failures(run: dg.ExecuteInProcessResult) -> list[str]:
    out = []
    for e in run.all_events:
        data = e.event_specific_data
        error = getattr(data, "error", None)
        if error is not None:
            out.append(f"{e.event_type_value}: {str(error.message)[:1500]}")
            cause = error.cause
            while cause is not None:
                out.append(f"  cause: {str(cause.message)[:800]}")
                cause = cause.cause
    return out
