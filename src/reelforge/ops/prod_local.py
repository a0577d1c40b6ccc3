"""`make prod-local`: the production setup on one machine, driven end to end and verified.

Starts PostgreSQL (initdb under `.reelforge/prod-local/`) and moto_server on 127.0.0.1,
`dagster-daemon` and `dagster-webserver` on `deploy/dagster.yaml` (runs, event logs and
schedules in PostgreSQL, the queued run coordinator), with the ledger in PostgreSQL and media
and records in an S3 bucket. It launches a backfill of 6 episode partitions through Dagster's
GraphQL API, waits for it with a progress bar, then checks every output: each run succeeded,
each episode's videos record and every media blob it names are in S3 and hash to their keys,
and the ledger has the episode's provider calls and exactly one published upload per post.
Everything it started is stopped by PID, also on failure or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess  # nosec B404 # runs this venv's Dagster and reelforge commands, argument lists only
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from reelforge import constants as C
from reelforge.lib.plan import episode_id
from reelforge.ops import postgres, s3_server

BUCKET = "reelforge-prod-local"
DATES = ("2026-11-21", "2026-11-22", "2026-11-23")
CHANNELS = ("space_facts", "history_bites")
LOCATION = "reelforge"
BACKFILL_TIMEOUT_S = 3600.0

_LAUNCH = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
    ... on PartitionSetNotFoundError { message }
    ... on UnauthorizedError { message }
  }
}"""
_RUNS = """
query Runs($id: String!) {
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
    __typename
    ... on Runs { results { runId status tags { key value } } }
    ... on PythonError { message }
  }
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numPartitions }
    ... on PythonError { message }
  }
}"""
_FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


class ProdLocalError(RuntimeError):
    """A step of the drill failed; the message says which and why."""


@dataclass
class Started:
    """What this drill started, so that it can stop exactly that, by PID."""

    home: Path
    processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list)
    postgres: postgres.PostgresServer | None = None
    s3: s3_server.S3Server | None = None

    def stop(self) -> None:
        for _name, proc in reversed(self.processes):
            _stop_group(proc)
        if self.s3 is not None:
            s3_server.stop(self.s3)
        if self.postgres is not None:
            postgres.stop(self.postgres)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _stop_group(proc: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    # Each service runs in its own session: SIGTERM its group (the webserver's code server, the
    # daemon's run workers), wait until every member is gone, not just the leader, then
    # SIGKILL whatever is left after `timeout`.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        proc.poll()  # reap the leader so it does not linger as a zombie
        if not _group_alive(proc.pid):
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def _database(server: postgres.PostgresServer, name: str) -> str:
    try:
        return server.create_database(name)
    except sa.exc.ProgrammingError:  # already there (a re-run on the same cluster)
        return server.url.rsplit("/", 1)[0] + f"/{name}"


def environment(started: Started, ledger_url: str) -> dict[str, str]:
    """The production environment every service and run worker gets."""
    home = started.home
    if started.s3 is None or started.postgres is None:
        raise ProdLocalError("PostgreSQL and S3 must be started before the environment is built")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REELFORGE_", "DAGSTER_"))}
    env.update(
        {
            C.ENV_HOME: str(home),
            "DAGSTER_HOME": str(home / "dagster_home"),
            C.ENV_DEPLOYMENT: "production",
            C.ENV_EXECUTOR: os.environ.get("PROD_LOCAL_EXECUTOR", "in_process"),
            C.ENV_LEDGER_URL: ledger_url,
            C.ENV_MEDIA_BUCKET: BUCKET,
            C.ENV_S3_ENDPOINT_URL: started.s3.url,
            # moto_server accepts any credentials; these are not secrets.
            C.ENV_AWS_ACCESS_KEY_ID: "prod-local",
            C.ENV_AWS_SECRET_ACCESS_KEY: "prod-local",
            **started.postgres.dagster_env("dagster"),
            # Small, quick renders by default: 6 episodes × 3 aspects on a 2-core machine.
            C.ENV_RENDER_HEIGHT: os.environ.get("PROD_LOCAL_RENDER_HEIGHT", "480"),
        }
    )
    if os.environ.get(C.ENV_CONFIG):
        env[C.ENV_CONFIG] = os.environ[C.ENV_CONFIG]
    return env


def _spawn(started: Started, name: str, args: list[str], env: Mapping[str, str]) -> None:
    logs = started.home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    with (logs / f"{name}.log").open("ab") as sink:
        proc = subprocess.Popen(  # nosec B603 # fixed argv of this venv's Dagster commands
            args, env=dict(env), stdout=sink, stderr=subprocess.STDOUT,
            cwd=C.PROJECT_ROOT, start_new_session=True,
        )  # fmt: skip
    started.processes.append((name, proc))


def _graphql(url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(f"{url}/graphql", json={"query": query, "variables": variables}, timeout=60)
    answer.raise_for_status()
    body = answer.json()
    if body.get("errors"):
        raise ProdLocalError(f"GraphQL error: {body['errors'][0].get('message')}")
    return dict(body["data"])


def _wait_for_webserver(url: str, started: Started, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for name, proc in started.processes:
            if proc.poll() is not None:
                log = started.home / "logs" / f"{name}.log"
                tail = log.read_text(errors="replace")[-1500:]
                raise ProdLocalError(f"{name} exited with {proc.returncode}: {tail}")
        with contextlib.suppress(httpx.HTTPError):
            data = _graphql(url, "{ locationStatusesOrError { __typename "
                            "... on WorkspaceLocationStatusEntries { entries { name "
                            "loadStatus } } } }", {})  # fmt: skip
            entries = data["locationStatusesOrError"].get("entries", [])
            if any(e["name"] == LOCATION and e["loadStatus"] == "LOADED" for e in entries):
                return
        time.sleep(1.0)
    raise ProdLocalError(f"the webserver at {url} did not load location {LOCATION!r} in time")


def partition_names(dates: tuple[str, ...] = DATES) -> list[str]:
    from reelforge.partitions import episode_key

    return [str(episode_key(d, c)) for d in dates for c in CHANNELS]


def launch_backfill(url: str, names: list[str]) -> str:
    params = {
        "selector": {
            "partitionSetName": "episode_partition_set",
            "repositorySelector": {
                "repositoryLocationName": LOCATION,
                "repositoryName": "__repository__",
            },
        },
        "partitionNames": names,
        "title": "make prod-local",
    }
    result = _graphql(url, _LAUNCH, {"params": params})["launchPartitionBackfill"]
    if result["__typename"] != "LaunchBackfillSuccess":
        raise ProdLocalError(f"backfill not launched: {result.get('message', result)}")
    return str(result["backfillId"])


def wait_for_backfill(url: str, backfill_id: str, total: int, console: Console) -> list[dict]:
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/"
               "{task.total} runs finished"), TimeElapsedColumn())  # fmt: skip
    deadline = time.monotonic() + BACKFILL_TIMEOUT_S
    last = ""
    with Progress(*columns, console=console) as progress:
        task = progress.add_task("backfill", total=total)
        while True:
            data = _graphql(url, _RUNS, {"id": backfill_id})
            runs = data["runsOrError"].get("results", [])
            status = data["partitionBackfillOrError"].get("status", "?")
            counts: dict[str, int] = {}
            for run in runs:
                counts[run["status"]] = counts.get(run["status"], 0) + 1
            done = sum(counts.get(s, 0) for s in _FINISHED)
            summary = ", ".join(f"{k.lower()} {v}" for k, v in sorted(counts.items()))
            line = f"backfill {status.lower()}: {summary or 'waiting for the daemon'}"
            progress.update(task, completed=done, description=line)
            if line != last and not console.is_terminal:
                console.print(line)  # CI logs and pipes get a line per change instead of a bar
            last = line
            if len(runs) >= total and done >= total:
                return runs
            if status in ("FAILED", "CANCELED"):
                raise ProdLocalError(f"backfill {backfill_id} ended {status}")
            if time.monotonic() > deadline:
                raise ProdLocalError(f"backfill {backfill_id} still running after the timeout")
            time.sleep(2.0)


def _s3_client(env: Mapping[str, str]) -> Any:
    import boto3

    return boto3.session.Session().client(
        "s3", endpoint_url=env[C.ENV_S3_ENDPOINT_URL], region_name=C.DEFAULT_S3_REGION,
        aws_access_key_id=env[C.ENV_AWS_ACCESS_KEY_ID],
        aws_secret_access_key=env[C.ENV_AWS_SECRET_ACCESS_KEY],
    )  # fmt: skip


def _checked_blob(client: Any, key: str) -> int:
    """Download a media blob from S3 and check it hashes to its key; returns its size."""
    body = client.get_object(Bucket=BUCKET, Key=f"{C.S3_MEDIA_PREFIX}{key}")["Body"].read()
    if hashlib.sha256(body).hexdigest() != key.split("/")[2].split(".")[0]:
        raise ProdLocalError(f"s3://{BUCKET}/{C.S3_MEDIA_PREFIX}{key} does not hash to its key")
    return len(body)


def verify(
    env: Mapping[str, str], runs: list[dict], dates: tuple[str, ...] = DATES
) -> list[dict[str, Any]]:
    """Every run succeeded; each episode's outputs are in S3 and in the ledger, once."""
    failed = [r["runId"] for r in runs if r["status"] != "SUCCESS"]
    if failed:
        raise ProdLocalError(f"runs did not succeed: {', '.join(failed)} (see the Dagster UI)")
    client = _s3_client(env)
    engine = sa.create_engine(env[C.ENV_LEDGER_URL])
    rows = []
    try:
        with engine.connect() as conn:
            for date in dates:
                for channel in CHANNELS:
                    name = f"{C.S3_RECORDS_PREFIX}videos/{date}/{channel}.json"
                    try:
                        raw = client.get_object(Bucket=BUCKET, Key=name)["Body"].read()
                    except client.exceptions.NoSuchKey:
                        raise ProdLocalError(f"s3://{BUCKET}/{name} is missing") from None
                    videos = json.loads(raw)["videos"]
                    size = 0
                    for video in videos:
                        for key in (video["video_key"], video["manifest_key"],
                                    video["thumbnail_portrait_key"]):  # fmt: skip
                            size += _checked_blob(client, key)
                    episode = episode_id(channel, date)
                    calls = conn.execute(sa.text(
                        "SELECT count(*) FROM provider_calls WHERE episode_id = :e"
                    ), {"e": episode}).scalar_one()  # fmt: skip
                    published = conn.execute(sa.text(
                        "SELECT platform, count(*) FROM uploads WHERE episode_id = :e "
                        "AND state = 'published' GROUP BY platform"
                    ), {"e": episode}).all()  # fmt: skip
                    if not calls:
                        raise ProdLocalError(f"no provider calls in the ledger for {episode}")
                    if not published or any(n != 1 for _p, n in published):
                        raise ProdLocalError(f"{episode}: published uploads {published!r}")
                    rows.append({"episode": episode, "aspects": len(videos), "bytes": size,
                                 "calls": calls, "posts": len(published)})  # fmt: skip
    finally:
        engine.dispose()
    return rows


@contextlib.contextmanager
def running_services(home: Path, console: Console) -> Iterator[tuple[Started, dict[str, str]]]:
    """PostgreSQL, moto_server, daemon and webserver; all stopped by PID on the way out."""
    if home.exists():
        # Each drill starts from nothing: a fresh cluster, bucket and Dagster instance.
        _wipe(home)
    home.mkdir(parents=True)
    # The postgres user (when run as root) must reach its data folder below this one.
    os.chmod(home, 0o755)  # nosec B103 # a folder, world-traversable on purpose; data stays 0700
    started = Started(home)
    try:
        console.print("starting PostgreSQL (initdb) and moto_server on 127.0.0.1 …")
        started.postgres = postgres.start(home / "postgres")
        dagster_db = _database(started.postgres, "dagster")
        ledger_url = _database(started.postgres, "ledger")
        started.s3 = s3_server.start(home / "logs" / "moto.log")
        env = environment(started, ledger_url)
        _s3_client(env).create_bucket(Bucket=BUCKET)
        dagster_home = Path(env["DAGSTER_HOME"])
        dagster_home.mkdir(parents=True)
        shutil.copyfile(C.PRODUCTION_DAGSTER_YAML, dagster_home / "dagster.yaml")
        bin_dir = Path(sys.executable).parent
        # Pool sizes live in the instance's PostgreSQL; instance-setup keeps our dagster.yaml.
        subprocess.run(  # nosec B603 # fixed argv of this venv's reelforge command
            [str(bin_dir / "reelforge"), "instance-setup"], env=env, check=True,
            cwd=C.PROJECT_ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        port = postgres.free_port()
        workspace = str(C.PROJECT_ROOT / "workspace.yaml")
        _spawn(started, "daemon", [str(bin_dir / "dagster-daemon"), "run", "-w", workspace], env)
        _spawn(started, "webserver", [str(bin_dir / "dagster-webserver"), "-w", workspace,
                                      "-h", "127.0.0.1", "-p", str(port)], env)  # fmt: skip
        env["PROD_LOCAL_URL"] = f"http://127.0.0.1:{port}"
        console.print(f"dagster database {dagster_db.rsplit('@', 1)[-1]}; webserver "
                      f"{env['PROD_LOCAL_URL']}; logs in {home / 'logs'}")  # fmt: skip
        yield started, env
    finally:
        console.print("stopping webserver, daemon, moto_server and PostgreSQL by PID …")
        started.stop()


def _wipe(home: Path) -> None:
    pid_file = home / "postgres" / "postmaster.pid"
    if pid_file.exists():  # a drill killed before it could stop its server
        with contextlib.suppress(ValueError, ProcessLookupError, PermissionError):
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)
            time.sleep(2)
    shutil.rmtree(home)


def run(home: Path | None = None, dates: tuple[str, ...] = DATES) -> int:
    """The whole drill; 0 when every output was verified. Fewer `dates` make a quicker drill
    (the test suite runs one date; `make prod-local` runs all three)."""
    console = Console(width=max(100, shutil.get_terminal_size().columns))
    home = home or C.DEFAULT_HOME / "prod-local"
    started_at = time.monotonic()
    try:
        with running_services(home, console) as (started, env):
            url = env["PROD_LOCAL_URL"]
            _wait_for_webserver(url, started)
            names = partition_names(dates)
            backfill_id = launch_backfill(url, names)
            console.print(f"backfill {backfill_id}: {len(names)} partitions ({', '.join(names)})")
            runs = wait_for_backfill(url, backfill_id, len(names), console)
            rows = verify(env, runs, dates)
    except ProdLocalError as exc:
        console.print(f"[red]prod-local failed:[/red] {exc}")
        return 1
    table = Table(title=f"prod-local: verified in S3 and the PostgreSQL ledger "
                  f"({time.monotonic() - started_at:.0f} s)")  # fmt: skip
    for column in ("episode", "aspects", "bytes", "calls", "posts"):
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(row[c]) for c in ("episode", "aspects", "bytes", "calls", "posts")))
    console.print(table)
    return 0


if __name__ == "__main__":
    sys.exit(run())
