"""The reliability suite's fixtures: a deterministic hypothesis profile and the fake server."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

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
