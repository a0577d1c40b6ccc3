"""A throwaway S3-protocol server (moto_server) on 127.0.0.1, started and stopped by PID.

Used by the tests and by `make prod-local` (moto comes with the dev extras, which both
install); production points REELFORGE_S3_ENDPOINT_URL at a real S3, MinIO or the like.
"""

from __future__ import annotations

import signal
import subprocess  # nosec B404 # starts moto_server with an argument list, never a shell
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from reelforge.ops.postgres import free_port, stop_pid


@dataclass(frozen=True)
class S3Server:
    url: str
    pid: int
    log: Path


def start(log: Path, port: int | None = None, timeout: float = 30.0) -> S3Server:
    """Start moto_server; returns once it answers HTTP."""
    port = port or free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("ab") as sink:
        proc = subprocess.Popen(  # nosec B603 # fixed argv: this interpreter running moto.server
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=sink, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=1)
            return S3Server(url, proc.pid, log)
        except httpx.TransportError:
            if proc.poll() is not None or time.monotonic() > deadline:
                stop(S3Server(url, proc.pid, log))
                tail = log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"moto_server did not start on {url}: {tail}") from None
            time.sleep(0.1)


def stop(server: S3Server, timeout: float = 5.0) -> None:
    """SIGTERM by PID, then SIGKILL if it lingers."""
    stop_pid(server.pid, signal.SIGTERM, timeout)


@contextmanager
def running_s3_server(log: Path) -> Iterator[S3Server]:
    server = start(log)
    try:
        yield server
    finally:
        stop(server)
