"""Homes for the dashboard tests: a small synthetic warehouse, media, policy tables, marts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import duckdb
from PIL import Image

from reelforge.constants import DBT_PROJECT_DIR
from reelforge.lib.media import MediaStore
from reelforge.lib.warehouse_synth import generate

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboards" / "app.py"
CHANNELS = ("space_facts", "history_bites")  # the slugs of config/channels.yaml
SNAPSHOTS = 960  # 120 episodes, 2 posts each, 4 ages


def _media(home: Path, work: Path) -> tuple[str, str]:
    """A real (tiny) H.264 video and a PNG thumbnail in the home's media store."""
    video = work / "clip.mp4"
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "color=c=navy:s=72x128:d=1",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(video)],
        check=True,
    )  # fmt: skip
    thumb = work / "thumb.png"
    Image.new("RGB", (90, 160), (200, 80, 40)).save(thumb)
    store = MediaStore(home / "media")
    return store.put_file(video), store.put_file(thumb)


def _policy_tables(con: duckdb.DuckDBPyConnection) -> None:
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    con.execute(
        """create table policy_plans (channel varchar, date date, slot integer, genre varchar,
           hook_style varchar, voice varchar, speaking_rate_wpm integer, music_mood varchar,
           target_seconds integer, caption_style varchar, posting_hour integer,
           experiment_id varchar, arm_id varchar, predicted_value double, predicted_sd double,
           explore boolean, overrides_applied varchar, created_at timestamptz)"""
    )
    for i, channel in enumerate(CHANNELS):
        for slot in range(2):
            con.execute(
                "insert into policy_plans values (?, '2026-12-02', ?, 'space', 'countdown', "
                "'en-us', 170, 'epic', 40, 'pop', 18, 'policy-2026-12-02', ?, ?, ?, ?, '', ?)",
                [channel, slot, f"arm-{i}{slot}", 900.0 + slot, 120.0, slot == 1, now],
            )
    con.execute(
        "create table policy_importance (parameter varchar, importance double, "
        "created_at timestamptz)"
    )
    for p, v in (("genre", 0.41), ("hook_style", 0.27), ("posting_hour", 0.12)):
        con.execute("insert into policy_importance values (?, ?, ?)", [p, v, now])


def build_home(home: Path, *, marts: bool, policy: bool = True) -> Path:
    """A REELFORGE_HOME with a small synthetic warehouse, media for the newest episodes."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / "warehouse.duckdb"
    generate(path, SNAPSHOTS, channel_names=CHANNELS, start_date="2026-10-01")
    work = home / ".work"
    work.mkdir(exist_ok=True)
    video_key, thumb_key = _media(home, work)
    with duckdb.connect(str(path)) as con:
        newest = con.execute(
            "select episode_id, channel, cast(date as varchar) from episodes "
            "where date = (select max(date) from episodes)"
        ).fetchall()
        for episode_id, channel, date in newest:
            con.execute("update episodes set video_key = ? where episode_id = ?",
                        [video_key, episode_id])  # fmt: skip
            record = home / "records" / "videos" / date / f"{channel}.json"
            record.parent.mkdir(parents=True, exist_ok=True)
            record.write_text(json.dumps({"videos": [
                {"video_key": video_key, "thumbnail_portrait_key": thumb_key}]}))  # fmt: skip
        if policy:
            _policy_tables(con)
    if marts:
        proc = subprocess.run(
            [str(Path(sys.executable).parent / "dbt"), "build", "--quiet",
             "--vars", json.dumps({"warehouse_path": str(path)}),
             "--target-path", str(work / "dbt_target"), "--log-path", str(work / "dbt_logs")],
            cwd=DBT_PROJECT_DIR, capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return home
