"""Every dashboard page through Streamlit's AppTest: fresh install, raw tables, dbt marts."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from dash_homes import APP, SNAPSHOTS
from streamlit.testing.v1 import AppTest

from reelforge.lib.overrides import OverrideStore
from reelforge.lib.review_queue import ReviewQueue

PAGES = {
    "overview": "views/overview.py",
    "episodes": "views/episodes.py",
    "experiments": "views/experiments.py",
    "policy": "views/policy.py",
    "budget": "views/budget.py",
    "review": "views/review.py",
}
EPISODES = SNAPSHOTS // 8


def open_page(name: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    if name != "overview":
        at.switch_page(PAGES[name])
        at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


@pytest.mark.parametrize("name", ["overview", "episodes", "experiments", "budget"])
def test_pages_explain_a_fresh_install(empty_home: Path, name: str) -> None:
    at = open_page(name)
    assert "make demo" in infos(at)
    assert not at.dataframe and not charts(at)


@pytest.mark.parametrize("name", ["overview", "episodes", "experiments", "budget"])
def test_pages_explain_a_warehouse_without_tables(empty_home: Path, name: str) -> None:
    duckdb.connect(str(empty_home / "warehouse.duckdb")).close()
    at = open_page(name)
    assert "no episode tables" in infos(at)


def test_policy_page_on_a_fresh_install_still_offers_overrides(empty_home: Path) -> None:
    at = open_page("policy")
    assert "has not planned anything yet" in infos(at)
    assert "No feature importance yet" in infos(at)
    assert at.button(key="ov_save") and at.selectbox(key="ov_channel").options == [
        "space_facts",
        "history_bites",
    ]


def test_overview_with_marts(populated_home: Path) -> None:
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Episodes"] == str(EPISODES)
    assert metrics["Spend"].startswith("$") and metrics["Cost per 1k views"].startswith("$")
    assert int(metrics["Views"].replace(",", "")) > 0
    assert len(charts(at)) == 2
    by_channel = at.dataframe[0].value
    assert set(by_channel["channel"]) == {"space_facts", "history_bites"}
    assert not [c.value for c in at.caption if "marts not built" in c.value]


def test_overview_falls_back_to_raw_tables_with_the_same_figures(
    raw_home: Path, populated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with_marts = {m.label: m.value for m in open_page("overview").metric}
    monkeypatch.setenv("REELFORGE_HOME", str(raw_home))
    at = open_page("overview")
    assert any("marts not built" in c.value for c in at.caption)
    assert {m.label: m.value for m in at.metric} == with_marts


def test_episodes_search_paginate_and_play(populated_home: Path) -> None:
    at = open_page("episodes")
    table = at.dataframe[0].value
    assert len(table) == 25
    assert {"status", "failed_stage", "cost_usd", "title"} <= set(table.columns)
    assert at.get("video") and at.image, "newest episode shows its video and thumbnail"
    assert f"{EPISODES} episodes match" in " ".join(c.value for c in at.caption)

    at.number_input(key="episodes_page").set_value(5).run()
    assert len(at.dataframe[0].value) == EPISODES - 4 * 25

    at.text_input(key="episodes_search").input("Episode 7").run()  # while on page 5
    titles = list(at.dataframe[0].value["title"])
    assert titles and all("Episode 7" in t for t in titles)
    assert at.number_input(key="episodes_page").value == 1, "back to the only page"

    at.text_input(key="episodes_search").input("")
    at.selectbox(key="episodes_status").select("failed").run()
    shown = at.dataframe[0].value if at.dataframe else None
    if shown is not None:
        assert set(shown["status"]) == {"failed"} and set(shown["failed_stage"]) == {"uploads"}
    else:
        assert "No episode matches" in infos(at)


def test_episodes_empty_filter_result(populated_home: Path) -> None:
    at = open_page("episodes")
    at.text_input(key="episodes_search").input("no such title anywhere").run()
    assert "No episode matches" in infos(at)


def test_experiments_show_lift_and_arm_intervals(populated_home: Path) -> None:
    at = open_page("experiments")
    assert len(charts(at)) == 2
    arms = at.dataframe[1].value
    assert {"engagement_per_dollar_ci_low", "engagement_per_dollar_ci_high"} <= set(arms.columns)
    assert (arms["engagement_per_dollar_ci_low"] <= arms["engagement_per_dollar"]).all()
    at.selectbox(key="arm_parameter").select("hook_style").run()
    assert set(at.dataframe[1].value["parameter"]) == {"hook_style"}
    lifts = at.dataframe[0].value
    assert "lift" in lifts.columns and len(lifts) > 0


def test_experiments_raw_fallback(raw_home: Path) -> None:
    at = open_page("experiments")
    assert len(charts(at)) == 2 and len(at.dataframe) == 2


def test_policy_shows_plans_and_importance(populated_home: Path) -> None:
    at = open_page("policy")
    plans = at.dataframe[0].value
    assert len(plans) == 4 and {"arm_id", "predicted_value", "explore"} <= set(plans.columns)
    at.selectbox(key="plan_ch").select("history_bites").run()
    assert set(at.dataframe[0].value["channel"]) == {"history_bites"}
    assert len(charts(at)) == 1


def test_policy_without_policy_tables(raw_home: Path) -> None:
    at = open_page("policy")
    assert "has not planned anything yet" in infos(at)


def test_override_set_in_the_dashboard_is_stored_and_removable(populated_home: Path) -> None:
    at = open_page("policy")
    at.selectbox(key="ov_channel").select("history_bites")
    at.selectbox(key="ov_parameter").select("hook_style").run()
    at.radio(key="ov_kind").set_value("pin")
    at.multiselect(key="ov_values").select("countdown")
    at.text_input(key="ov_reason").input("countdowns win on history")
    at.button(key="ov_save").click().run()
    assert not at.error, [e.value for e in at.error]
    assert "Saved #1" in " ".join(s.value for s in at.success)

    store = OverrideStore(f"sqlite:///{populated_home / 'ledger.sqlite'}")
    (saved,) = store.active("history_bites")
    assert (saved.parameter, saved.kind, saved.values) == ("hook_style", "pin", ("countdown",))
    assert saved.reason == "countdowns win on history" and saved.author == "analyst"
    assert store.audit()[0]["action"] == "override.add"
    assert len(at.dataframe[1].value) == 1  # plans, active overrides, audit

    at.selectbox(key="ov_rm_id").select(saved.override_id)
    at.text_input(key="ov_rm_reason").input("enough data")
    at.button(key="ov_remove").click().run()
    assert store.active() == []
    assert store.audit()[0]["action"] == "override.remove"


def test_invalid_override_is_refused_with_the_reason(populated_home: Path) -> None:
    at = open_page("policy")
    at.radio(key="ov_kind").set_value("ab")
    at.multiselect(key="ov_values").select("space")
    at.text_input(key="ov_reason").input("try it")
    at.button(key="ov_save").click().run()
    assert "two different values" in " ".join(e.value for e in at.error)
    store = OverrideStore(f"sqlite:///{populated_home / 'ledger.sqlite'}")
    assert store.active() == []


def test_numeric_override_values_are_typed(populated_home: Path) -> None:
    at = open_page("policy")
    at.selectbox(key="ov_parameter").select("target_seconds").run()
    at.radio(key="ov_kind").set_value("exclude")
    at.text_input(key="ov_values_text").input("60, 75")
    at.text_input(key="ov_reason").input("too long")
    at.button(key="ov_save").click().run()
    store = OverrideStore(f"sqlite:///{populated_home / 'ledger.sqlite'}")
    (saved,) = store.active("space_facts")
    assert saved.values == ("60", "75")


def test_budget_page_with_marts(populated_home: Path) -> None:
    at = open_page("budget")
    assert len(charts(at)) == 3
    burn, platforms = (d.value for d in at.dataframe)
    assert set(burn["channel"]) == {"space_facts", "history_bites"}
    assert set(burn["budget"]) == {"$2.00", "$1.50"}
    assert set(platforms["platform"]) == {"outbox", "youtube"}
    assert "published" in platforms.columns


def test_budget_page_raw_fallback(raw_home: Path) -> None:
    at = open_page("budget")
    assert len(charts(at)) >= 2 and len(at.dataframe) == 2


def test_review_page_empty_then_decides_a_held_item(empty_home: Path) -> None:
    at = open_page("review")
    assert "Nothing waits for review" in infos(at)
    queue = ReviewQueue(sa.create_engine(f"sqlite:///{empty_home / 'ledger.sqlite'}"))
    held = queue.submit("space_facts-2026-11-21", "story_moderation", "h", 0,
                        "banned_topic: moon", {"scores": {"banned_topic": 1.0},
                                               "provider": "rules"})  # fmt: skip
    at = open_page("review")
    assert "banned_topic: moon" in at.dataframe[0].value["reason"].tolist()
    at.button(key="review_save").click().run()
    assert "Give a reason" in " ".join(e.value for e in at.error)
    at.radio(key="review_decision").set_value("approved")
    at.text_input(key="review_reason").input("a fact about the Moon, not a topic")
    at.button(key="review_save").click().run()
    assert not at.error, [e.value for e in at.error]
    item = queue.get(held.item_id)
    assert (item.state, item.decision_reason) == ("approved", "a fact about the Moon, not a topic")


def test_episodes_play_from_s3_through_presigned_urls(
    populated_home: Path, moto_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Production: media and records in the bucket, the local copies gone; the page shows
    the video and thumbnail through presigned, expiring URLs of the objects."""
    import shutil
    import uuid

    import boto3
    import httpx

    bucket = f"dash-{uuid.uuid4().hex[:8]}"
    client = boto3.session.Session().client(
        "s3", endpoint_url=moto_url, region_name="us-east-1",
        aws_access_key_id="dash", aws_secret_access_key="dash",
    )  # fmt: skip
    client.create_bucket(Bucket=bucket)
    for path in (populated_home / "media").rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            key = path.relative_to(populated_home / "media").as_posix()
            client.upload_file(str(path), bucket, f"media/{key}")
    for path in (populated_home / "records").rglob("*.json"):
        name = path.relative_to(populated_home / "records").as_posix()
        client.put_object(Bucket=bucket, Key=f"records/{name}", Body=path.read_bytes())
    shutil.rmtree(populated_home / "media")
    shutil.rmtree(populated_home / "records")
    for key, value in {
        "REELFORGE_MEDIA_BUCKET": bucket, "REELFORGE_S3_ENDPOINT_URL": moto_url,
        "AWS_ACCESS_KEY_ID": "dash", "AWS_SECRET_ACCESS_KEY": "dash",
    }.items():  # fmt: skip
        monkeypatch.setenv(key, value)

    at = open_page("episodes")
    videos, images = at.get("video"), at.image
    assert videos and images, "the newest episode plays from the bucket"
    for url in (videos[0].proto.url, images[0].proto.imgs[0].url):
        assert url.startswith(f"{moto_url}/{bucket}/media/sha256/"), url
        assert "X-Amz-Signature=" in url and "X-Amz-Expires=3600" in url
        assert httpx.get(url, timeout=10).status_code == 200
