"""Start the fake provider server as a child process on 127.0.0.1 and stop it by PID."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess  # nosec B404 # subprocess runs fixed local tools with argument lists, never a shell
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx


@contextmanager
def running_fake_server(timeout: float = 20.0) -> Iterator[str]:
    """Yield the base URL of a fresh fake server; kill it (by PID) on exit."""
    with tempfile.TemporaryDirectory(prefix="reelforge-fake-") as tmp:
        port_file = Path(tmp) / "port"
        proc = subprocess.Popen(  # nosec B603 # starts this Python with -m reelforge.fakes.server; no shell
            [
                sys.executable,
                "-m",
                "reelforge.fakes.server",
                "--port",
                "0",
                "--port-file",
                str(port_file),
            ],
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tmp) / "stderr.log", "wb"),  # noqa: SIM115 - closed with the folder
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + timeout
            while not port_file.exists():
                if proc.poll() is not None or time.monotonic() > deadline:
                    log = (Path(tmp) / "stderr.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"fake server did not start: {log}")
                time.sleep(0.05)
            yield f"http://127.0.0.1:{port_file.read_text().strip()}"
        finally:
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server by its PID (TERM, then KILL), tolerating one that already exited."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.kill(proc.pid, signal.SIGKILL)
        proc.wait()


# Where each remote provider lives on the fake server (REELFORGE_<NAME>_BASE_URL values).
_PROVIDER_PATHS = {
    "REELFORGE_OPENAI_BASE_URL": "/openai/v1",
    "REELFORGE_ANTHROPIC_BASE_URL": "/anthropic",
    "REELFORGE_ELEVENLABS_BASE_URL": "/elevenlabs",
    "REELFORGE_STABILITY_BASE_URL": "/stability",
    "REELFORGE_FAL_BASE_URL": "/fal",
    "REELFORGE_VEO_BASE_URL": "/veo",
}


def provider_env(base_url: str) -> dict[str, str]:
    """The environment that points every remote provider at the fake server."""
    return {name: f"{base_url}{path}" for name, path in _PROVIDER_PATHS.items()}


def set_faults(base_url: str, **spec: Any) -> None:
    httpx.post(f"{base_url}/_admin/faults", json=spec, timeout=5).raise_for_status()


def stats(base_url: str) -> dict[str, int]:
    return httpx.get(f"{base_url}/_admin/stats", timeout=5).json()


def reset(base_url: str) -> None:
    httpx.post(f"{base_url}/_admin/reset", timeout=5).raise_for_status()


def state(base_url: str, family: str) -> dict[str, Any]:
    """What a fake family exposes for tests, e.g. posts per account (`/_admin/state/...`)."""
    response = httpx.get(f"{base_url}/_admin/state/{family}", timeout=5)
    response.raise_for_status()
    return response.json()
