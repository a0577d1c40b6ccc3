"""The reliability suite's fixtures: a deterministic hypothesis profile and the fake server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from reelforge.fakes.process import reset, running_fake_server
from reelforge.lib.providers.http import reset_breakers

# Derandomized: CI sees the same examples every run, so a red build is reproducible and a
# green one is not luck. Modest example counts keep each property to a second or two.
settings.register_profile(
    "reliability",
    derandomize=True,
    deadline=None,
    max_examples=150,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
settings.load_profile("reliability")


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
