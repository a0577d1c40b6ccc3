"""`make prod-local`'s drill, one date (2 partitions) instead of three: PostgreSQL, moto_server,
dagster-daemon and dagster-webserver on deploy/dagster.yaml, a backfill through GraphQL,
outputs verified in S3 and the ledger, every process stopped by PID."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from reelforge.ops import prod_local

pytestmark = pytest.mark.slow


def _ours(home: Path) -> list[str]:
    """Live processes whose command line or environment names the drill's home."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ")
            environ = (proc / "environ").read_bytes()
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if str(home).encode() in cmdline + environ:
            found.append(cmdline.decode(errors="replace")[:120])
    return found


def test_prod_local_backfill_is_verified_and_everything_stops(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("PROD_LOCAL_RENDER_HEIGHT", "320")
    # Not pytest's tmp_path: it is private to root, and PostgreSQL runs as `postgres`.
    base = Path(tempfile.mkdtemp(prefix="reelforge-prod-local-"))
    os.chmod(base, 0o755)
    home = base / "prod-local"
    try:
        assert prod_local.run(home, dates=("2026-11-21",)) == 0
    finally:
        leftovers = _ours(home)
        shutil.rmtree(base, ignore_errors=True)
    out = capsys.readouterr().out
    assert "verified in S3 and the PostgreSQL ledger" in out
    for channel in prod_local.CHANNELS:
        assert f"{channel}-2026-11-21" in out
    # The daemon, the webserver (and its code server), moto_server and PostgreSQL are gone.
    assert leftovers == []
