"""No secret in logs, metadata or the warehouse.

One whole episode runs through Dagster with every remote provider (the fake server) and every
real platform (YouTube, TikTok, Instagram via moto S3), each credential set to a distinctive
value. Then everything the run left behind is searched for each value: the Dagster event log of
every run (events and their metadata), the runner's stdout/stderr and the compute logs, every
file under REELFORGE_HOME (records, media, outbox, ledger, instance databases), every text
column of every table of the ledger (SQLite) and of the warehouse (DuckDB, whose compressed
strings a byte search could miss). Prompt text must not be in the event log either.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import duckdb
import httpx
import pytest
import yaml

from reelforge.constants import DEFAULT_CONFIG_PATH
from reelforge.fakes.process import provider_env, reset, stats

pytestmark = pytest.mark.slow
RUNNER = Path(__file__).resolve().parents[1] / "integration" / "episodes_runner.py"
TAG = uuid.uuid4().hex[:10]
SECRETS = {
    name: f"{name.lower().replace('_', '-')}-LEAK-{TAG}"
    for name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY", "ELEVENLABS_API_KEY",
                 "STABILITY_API_KEY", "FAL_KEY", "GEMINI_API_KEY", "TIKTOK_ACCESS_TOKEN",
                 "INSTAGRAM_ACCESS_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
}  # fmt: skip
# Inside the YouTube token file (not an environment variable, but just as secret).
FILE_SECRETS = {"youtube refresh_token": f"yt-refresh-LEAK-{TAG}",
                "youtube client_secret": f"yt-client-LEAK-{TAG}"}  # fmt: skip
ALL = {**SECRETS, **FILE_SECRETS}
PROMPT_MARKERS = ("never instructions to you", "channel_niche", "Write the script")
BUCKET = "reelforge-secrets"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def moto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """moto_server on 127.0.0.1 (Instagram pulls media from presigned S3 URLs); stopped by PID."""
    port = _free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(url, timeout=1)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text()[-2000:]) from None
                time.sleep(0.1)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


def _config(tmp: Path) -> Path:
    data = yaml.safe_load(DEFAULT_CONFIG_PATH.read_text())
    data["budget"] = {"daily_usd": 1000.0}
    channel = data["channels"][0]
    channel.update(daily_budget_usd=500.0, platforms=["outbox", "youtube", "tiktok", "instagram"])
    channel["providers"] = {"story": ["openai"], "speech": ["elevenlabs"],
                            "images": ["stability"], "music": ["elevenlabs"]}  # fmt: skip
    channel["defaults"]["target_seconds"] = 20  # the shortest episode: this test reads, not renders
    path = tmp / "channels.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def _token_file(tmp: Path) -> Path:
    path = tmp / "youtube-token.json"  # outside REELFORGE_HOME: the operator's own file
    path.write_text(json.dumps({
        "type": "authorized_user", "client_id": "1234.apps.googleusercontent.com",
        "refresh_token": FILE_SECRETS["youtube refresh_token"],
        "client_secret": FILE_SECRETS["youtube client_secret"],
    }))  # fmt: skip
    return path


def _make_bucket(moto: str) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto, region_name="us-east-1",
                      aws_access_key_id=SECRETS["AWS_ACCESS_KEY_ID"],
                      aws_secret_access_key=SECRETS["AWS_SECRET_ACCESS_KEY"])  # fmt: skip
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=BUCKET)


@pytest.fixture(scope="module")
def episode(fake_server: str, moto: str, tmp_path_factory: pytest.TempPathFactory) -> dict:
    reset(fake_server)
    tmp = tmp_path_factory.mktemp("secrets")
    home = tmp / "home"
    (home / "dagster_home").mkdir(parents=True)
    (home / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    _make_bucket(moto)
    fake = fake_server
    env = {k: v for k, v in os.environ.items() if not k.startswith("REELFORGE_")}
    env.update(
        REELFORGE_HOME=str(home), DAGSTER_HOME=str(home / "dagster_home"),
        REELFORGE_CONFIG=str(_config(tmp)), REELFORGE_PROVIDERS="remote",
        # 540x960: the smallest render every platform's QC (Instagram: short side 540) passes.
        REELFORGE_RENDER_HEIGHT="960", REELFORGE_RENDER_PRESET="ultrafast",
        **provider_env(fake),
        REELFORGE_YOUTUBE_TOKEN_FILE=str(_token_file(tmp)),
        REELFORGE_YOUTUBE_BASE_URL=f"{fake}/youtube/",
        REELFORGE_YOUTUBE_TOKEN_URI=f"{fake}/youtube/oauth2/token",
        REELFORGE_TIKTOK_BASE_URL=f"{fake}/tiktok",
        REELFORGE_INSTAGRAM_BASE_URL=f"{fake}/instagram", INSTAGRAM_USER_ID=f"ig-{TAG}",
        REELFORGE_MEDIA_BUCKET=BUCKET, REELFORGE_S3_ENDPOINT_URL=moto,
        AWS_DEFAULT_REGION="us-east-1",
        REELFORGE_NOW="2026-11-22T12:00:00+00:00",  # after the slot: publish at once
        REELFORGE_UPLOAD_RETRY_DELAY_S="0.05",
        **SECRETS,
    )  # fmt: skip
    report = tmp / "report.json"
    proc = subprocess.run(
        [sys.executable, str(RUNNER), json.dumps([["2026-11-21", "space_facts"]]), str(report)],
        env=env, capture_output=True, text=True, check=False, timeout=900,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-4000:]
    [entry] = json.loads(report.read_text())
    return {"entry": entry, "home": home, "proc": proc, "stats": stats(fake)}


def _leaks(text: str) -> list[str]:
    return [name for name, value in ALL.items() if value in text]


def test_the_episode_really_used_every_credential(episode: dict) -> None:
    assert episode["entry"]["success"], episode["entry"].get("errors")
    counts = episode["stats"]
    for route in ("openai.chat.ok", "elevenlabs.tts.ok", "stability.images.ok",
                  "elevenlabs.music.ok", "youtube.token.ok", "tiktok.init.ok",
                  "instagram.media.create.ok"):  # fmt: skip
        assert counts.get(route, 0) >= 1, (route, counts)


def test_no_secret_in_the_event_log_or_metadata_of_any_run(episode: dict) -> None:
    import dagster as dg
    from dagster._serdes import serialize_value

    home: Path = episode["home"]
    instance = dg.DagsterInstance.from_config(str(home / "dagster_home"))
    try:
        runs = instance.get_runs()
        assert runs
        for run in runs:
            assert not _leaks(serialize_value(run)), run.run_id
            for record in instance.all_logs(run.run_id):
                text = serialize_value(record)  # the whole event, metadata included
                assert not _leaks(text), (record.dagster_event_type, _leaks(text))
                for marker in PROMPT_MARKERS:
                    assert marker not in text, (marker, record.dagster_event_type)
    finally:
        instance.dispose()


def test_no_secret_in_stdout_stderr_or_any_file_under_home(episode: dict) -> None:
    proc = episode["proc"]
    assert not _leaks(proc.stdout + proc.stderr)
    home: Path = episode["home"]
    files = [p for p in home.rglob("*") if p.is_file()]
    assert any(p.suffix == ".mp4" for p in files) and any("records" in p.parts for p in files)
    for path in files:
        data = path.read_bytes()
        leaked = [name for name, value in ALL.items() if value.encode() in data]
        assert not leaked, (str(path.relative_to(home)), leaked)


def test_no_secret_in_any_text_column_of_the_ledger_or_the_warehouse(episode: dict) -> None:
    home: Path = episode["home"]
    with contextlib.closing(sqlite3.connect(home / "ledger.sqlite")) as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        assert "provider_calls" in tables
        for table in tables:
            for row in con.execute(f'select * from "{table}"'):  # table names from sqlite_master
                assert not _leaks(" ".join(str(v) for v in row)), table
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type in ('VARCHAR', 'JSON') or data_type like '%[]'"
        ).fetchall()
        assert {t for t, _ in columns} >= {"episodes", "provider_calls", "uploads"}
        for table, column in columns:
            values = con.execute(f'select distinct cast("{column}" as varchar) from "{table}"')
            for (value,) in values.fetchall():
                assert value is None or not _leaks(value), (table, column)
