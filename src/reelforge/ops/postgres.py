"""A throwaway PostgreSQL cluster on 127.0.0.1: initdb under a folder, start, stop by PID.

Used by the tests (ledger and budget on a real PostgreSQL) and by `make prod-local`. Runs the
Debian server binaries; as root they run as the `postgres` user, which owns the data folder.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from reelforge import constants as C


class PostgresUnavailable(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def server_bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise PostgresUnavailable("PostgreSQL server binaries not found (apt install postgresql)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class PostgresServer:
    data_dir: Path
    port: int
    pid: int

    @property
    def url(self) -> str:
        """SQLAlchemy URL (psycopg2 driver, as dagster-postgres also uses)."""
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/postgres"

    def create_database(self, name: str) -> str:
        """Create a database and return its URL."""
        if not name.isidentifier():
            raise ValueError(f"database name {name!r} must be an identifier")
        engine = sa.create_engine(self.url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql(f"CREATE DATABASE {name}")
        finally:
            engine.dispose()
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{name}"

    def dagster_env(self, database: str) -> dict[str, str]:
        """The DAGSTER_PG_* variables deploy/dagster.yaml reads, for `database` of this server."""
        return {
            C.ENV_DAGSTER_PG_USERNAME: "postgres",
            C.ENV_DAGSTER_PG_PASSWORD: "",  # trust authentication on a local throwaway cluster
            C.ENV_DAGSTER_PG_HOST: "127.0.0.1",
            C.ENV_DAGSTER_PG_PORT: str(self.port),
            C.ENV_DAGSTER_PG_DB: database,
        }


def _as_owner(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def _run(args: list[str]) -> None:
    proc = subprocess.run(args, capture_output=True, text=True, check=False)  # nosec B603 # argument list to PostgreSQL's own binaries (initdb, pg_ctl); no shell
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed: {proc.stderr.strip()[-1500:]}")


def start(data_dir: Path, port: int | None = None, timeout: float = 30.0) -> PostgresServer:
    """initdb (once) and start a server on 127.0.0.1; returns when it accepts connections."""
    bindir = server_bin_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        shutil.chown(data_dir, "postgres", "postgres")
        os.chmod(data_dir, 0o700)
    if not (data_dir / "PG_VERSION").exists():
        _run(_as_owner([str(bindir / "initdb"), "-D", str(data_dir), "--auth=trust",
                        "-U", "postgres", "--no-sync"]))  # fmt: skip
    port = port or free_port()
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data_dir} -c fsync=off"
    log = str(data_dir / "server.log")
    wait = ["-w", "-t", str(int(timeout))]
    _run(_as_owner([str(bindir / "pg_ctl"), "-D", str(data_dir), "-o", options, "-l", log, *wait,
                    "start"]))  # fmt: skip
    pid = int((data_dir / "postmaster.pid").read_text().split()[0])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        time.sleep(0.1)
    return PostgresServer(data_dir, port, pid)


def stop_pid(pid: int, sig: signal.Signals, timeout: float) -> None:
    """Send `sig`, wait up to `timeout` for the process to go (reaping it if it is our
    child), then SIGKILL it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):
            if os.waitpid(pid, os.WNOHANG)[0]:
                return
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def stop(server: PostgresServer, timeout: float = 20.0) -> None:
    """Fast shutdown by PID (SIGINT), then SIGKILL if it lingers."""
    stop_pid(server.pid, signal.SIGINT, timeout)


@contextmanager
def running_postgres(data_dir: Path) -> Iterator[PostgresServer]:
    server = start(data_dir)
    try:
        yield server
    finally:
        stop(server)
