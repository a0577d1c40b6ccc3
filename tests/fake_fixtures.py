"""The fake provider and platform server for the whole session, stopped by PID; `fake` clears
its faults, counters and the providers' circuit breakers around each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from reelforge.fakes.process import reset, running_fake_server
from reelforge.lib.providers.http import reset_breakers


@pytest.fixture(scope="session")
def fake_server() -> Iterator[str]:
    with running_fake_server() as url:
        yield url


@pytest.fixture()
def fake(fake_server: str) -> Iterator[str]:
    """The shared fake server with faults and counters cleared for this test."""
    reset(fake_server)
    reset_breakers()
    yield fake_server
    reset(fake_server)
