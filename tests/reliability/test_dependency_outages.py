"""Drill 4: the dependencies fail under a running episode, and nothing is lost.

- PostgreSQL (Dagster's run/event storage from deploy/dagster.yaml, and the ledger) is
  restarted while the episode's steps run. The run ends (it never hangs half-recorded); what
  failed is re-run; afterwards every stage is materialized once more at most, every provider
  call is in the ledger exactly once, and no booking was lost.
- S3 (media and records) answers a quarter of all requests with 500: botocore's retries
  absorb them. Then S3 fails every request: the step fails with an error naming the object,
  nothing half-written is visible, and once S3 is back a re-run completes with every blob in
  the bucket hashing to its key.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import boto3
import dagster as dg
import pytest
import sqlalchemy as sa
from s3_faults import s3_fault_proxy

from reelforge import constants as C
from reelforge.constants import PRODUCTION_DAGSTER_YAML
from reelforge.defs.assets.images import scene_images
from reelforge.defs.assets.music import music
from reelforge.defs.assets.narration import narration
from reelforge.defs.assets.plan import generation_plan
from reelforge.defs.assets.story import story
from reelforge.defs.resources.bindings import build_resources
from reelforge.ops import postgres
from reelforge.partitions import episode_key
from reelforge.settings import load_settings

pytestmark = pytest.mark.slow

ASSETS = [generation_plan, story, narration, music, scene_images]
PARTITION = episode_key("2026-11-21", "space_facts")
EPISODE = "space_facts-2026-11-21"
QUIET = {"loggers": {"console": {"config": {"log_level": "ERROR"}}}}


def _resources(env: Mapping[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    for key, value in env.items():
        monkeypatch.setenv(key, value)  # secrets are read through dg.EnvVar at run time
    return build_resources(load_settings(env))


def _materialize(
    instance: dg.DagsterInstance, resources: dict[str, Any]
) -> dg.ExecuteInProcessResult:
    return dg.materialize(
        ASSETS, partition_key=PARTITION, instance=instance, resources=resources,
        run_config=QUIET, raise_on_error=False,
    )  # fmt: skip


def _errors(result: dg.ExecuteInProcessResult) -> list[str]:
    """Each failed step's error with its causes (Dagster wraps what the step raised)."""
    out = []
    for event in result.all_events:
        if event.is_step_failure and event.event_specific_data is not None:
            error, parts = event.event_specific_data.error, []  # type: ignore[union-attr]
            while error is not None:
                parts.append(error.message.strip())
                error = error.cause
            out.append(" <- ".join(parts))
    return out


@pytest.fixture()
def own_postgres() -> Iterator[postgres.PostgresServer]:
    # Not the session's shared cluster: this test restarts the server (its PID changes).
    base = Path(tempfile.mkdtemp(prefix="reelforge-pg-restart-"))
    os.chmod(base, 0o755)
    server = postgres.start(base / "data")
    try:
        yield server
    finally:
        postgres.stop(server)
        # The restarted server has a new PID: stop whatever postmaster.pid names now.
        pid_file = base / "data" / "postmaster.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().split()[0])
            postgres.stop(postgres.PostgresServer(base / "data", server.port, pid))
        shutil.rmtree(base, ignore_errors=True)


def _restart_when_step_starts(
    server: postgres.PostgresServer, dagster_url: str, step: str, log: dict[str, Any]
) -> threading.Thread:
    def watch() -> None:
        engine = sa.create_engine(dagster_url, poolclass=sa.pool.NullPool)
        query = sa.text(
            "SELECT count(*) FROM event_logs WHERE dagster_event_type = 'STEP_START' "
            "AND step_key = :s"
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    if conn.execute(query, {"s": step}).scalar_one():
                        break
            except sa.exc.SQLAlchemyError:
                pass
            time.sleep(0.05)
        engine.dispose()
        log["stopped_at"] = time.time()
        postgres.stop(server)
        time.sleep(0.5)  # a real outage, however short
        log["server"] = postgres.start(server.data_dir, port=server.port)
        log["started_at"] = time.time()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def test_postgres_restarted_during_a_run(
    own_postgres: postgres.PostgresServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dagster_url = own_postgres.create_database("dagster_drill")
    ledger_url = own_postgres.create_database("ledger_drill")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PRODUCTION_DAGSTER_YAML, home / "dagster.yaml")
    env = {
        C.ENV_HOME: str(tmp_path / "reelforge"),
        C.ENV_DEPLOYMENT: "production",
        C.ENV_LEDGER_URL: ledger_url,
        **own_postgres.dagster_env("dagster_drill"),
        "DAGSTER_HOME": str(home),
    }
    resources = _resources(env, monkeypatch)
    log: dict[str, Any] = {}
    with dg.DagsterInstance.from_config(str(home)) as instance:
        watcher = _restart_when_step_starts(own_postgres, dagster_url, "narration", log)
        first = _materialize(instance, resources)
        watcher.join(timeout=120)
        assert "started_at" in log, "the server was never restarted"
        # The run ended and says so; it is not left STARTED with nobody to finish it.
        run = instance.get_run_by_id(first.run_id)
        assert run is not None and run.is_finished, run
        attempts = [first]
        while not attempts[-1].success and len(attempts) < 3:
            attempts.append(_materialize(instance, resources))
        assert attempts[-1].success, _errors(attempts[-1])
        for failed in attempts[:-1]:
            # A failure, if any, is a clean step failure that names the database trouble.
            assert all(
                "connection" in e.lower() or "postgres" in e.lower() for e in _errors(failed)
            )
        stats = [instance.get_run_stats(a.run_id) for a in attempts]
    print(f"\nPostgreSQL down {log['started_at'] - log['stopped_at']:.2f} s during run "
          f"{first.run_id[:8]}; runs needed: {len(attempts)} "
          f"({', '.join('ok' if a.success else 'failed' for a in attempts)}); "
          f"steps succeeded per run: {[s.steps_succeeded for s in stats]}")  # fmt: skip

    engine = sa.create_engine(ledger_url)
    try:
        with engine.connect() as conn:
            calls = conn.execute(
                sa.text("SELECT stage, request_hash FROM provider_calls WHERE episode_id = :e"),
                {"e": EPISODE},
            ).all()
    finally:
        engine.dispose()
    stages = sorted({stage for stage, _ in calls})
    # Nothing lost: each provider stage booked its calls; nothing doubled: hashes are unique.
    assert {"story", "narration", "music"} <= set(stages), stages
    assert len({h for _, h in calls}) == len(calls)


def test_s3_500s_are_absorbed_and_an_outage_fails_cleanly(
    moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bucket = "drill-outage"
    raw = boto3.session.Session().client(
        "s3", endpoint_url=moto_url, region_name="us-east-1",
        aws_access_key_id="drill", aws_secret_access_key="drill",
    )  # fmt: skip
    raw.create_bucket(Bucket=bucket)
    with s3_fault_proxy(moto_url) as proxy:
        env = {
            C.ENV_HOME: str(tmp_path / "reelforge"),
            C.ENV_MEDIA_BUCKET: bucket,
            C.ENV_S3_ENDPOINT_URL: proxy.url,
            C.ENV_AWS_ACCESS_KEY_ID: "drill",
            C.ENV_AWS_SECRET_ACCESS_KEY: "drill",
        }
        resources = _resources(env, monkeypatch)
        instance = dg.DagsterInstance.ephemeral()

        proxy.rate = 0.25
        flaky = _materialize(instance, resources)
        assert flaky.success, _errors(flaky)
        assert proxy.faults >= 5, (proxy.faults, proxy.requests)
        print(f"\nS3 at 25 % errors: {proxy.faults} of {proxy.requests} requests failed, "
              "all retried, run succeeded")  # fmt: skip

        # A full outage, on a machine with nothing cached: the first write fails, says where.
        for cache in ("media", "records"):
            shutil.rmtree(tmp_path / "reelforge" / cache)
        proxy.rate = 1.0
        down = _materialize(instance, resources)
        assert not down.success
        errors = _errors(down)
        where = f"S3 PUT of s3://{bucket}/"
        assert errors and all(where in e and "InternalError" in e for e in errors), errors
        assert "drill" not in " ".join(e.replace(f"s3://{bucket}", "") for e in errors)

        proxy.rate = 0.0
        back = _materialize(instance, resources)
        assert back.success, _errors(back)

    # Nothing lost: every record is in the bucket, and every media key in them is a blob
    # there whose bytes hash to its key.
    names = [o["Key"] for o in raw.list_objects_v2(Bucket=bucket)["Contents"]]
    records = [n for n in names if n.startswith(C.S3_RECORDS_PREFIX)]
    assert {n.split("/")[1] for n in records} == {a.key.path[-1] for a in ASSETS}
    keys = set()
    for name in records:
        text = raw.get_object(Bucket=bucket, Key=name)["Body"].read().decode()
        keys |= _media_keys(json.loads(text))
    assert keys
    for key in keys:
        body = raw.get_object(Bucket=bucket, Key=f"{C.S3_MEDIA_PREFIX}{key}")["Body"].read()
        assert hashlib.sha256(body).hexdigest() == key.split("/")[2].split(".")[0]


def _media_keys(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_media_keys(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(_media_keys(v) for v in value)) if value else set()
    if isinstance(value, str) and value.startswith("sha256/"):
        return {value}
    return set()
