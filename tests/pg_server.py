"""A real PostgreSQL for tests: a fresh cluster in a temp folder, stopped by PID afterwards."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelforge.ops.postgres import PostgresServer, PostgresUnavailable, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    try:
        from reelforge.ops.postgres import server_bin_dir

        server_bin_dir()
    except PostgresUnavailable as exc:  # the install script provides it; say so loudly
        pytest.fail(str(exc))
    # pytest's tmp folders are private to root; the server runs as `postgres` and must reach it.
    base = Path(tempfile.mkdtemp(prefix="reelforge-pg-"))
    os.chmod(base, 0o755)
    try:
        with running_postgres(base / "data") as server:
            yield server
    finally:
        shutil.rmtree(base, ignore_errors=True)
