"""The base of every provider family resource: configured endpoints, chains, prices, HTTP."""

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import dagster as dg
from pydantic import Field

from reelforge.constants import DEFAULT_PROVIDER_RETRY_BASE_S
from reelforge.lib.pricing import PriceTable
from reelforge.lib.providers.errors import ProviderError
from reelforge.lib.providers.http import ProviderHttp, RetrySettings
from reelforge.lib.providers.registry import BY_NAME, LOCAL


class Endpoint(dg.Config):
    """One configured remote provider. `api_key` is bound with dg.EnvVar, never a literal."""

    name: str
    protocol: str
    base_url: str
    api_key: str = ""
    model: str


@cache
def _prices(path: str) -> PriceTable:
    return PriceTable.load(Path(path))


class ProviderSet(dg.ConfigurableResource):
    """Providers of one family; `mode=local` keeps every stage offline whatever the chain."""

    mode: str = "local"
    endpoints: list[Endpoint] = Field(default_factory=list)
    prices_path: str
    retry_attempts: int = 4
    retry_base_s: float = DEFAULT_PROVIDER_RETRY_BASE_S  # first backoff; full jitter, doubling
    read_timeout: float = 120.0

    def chain(self, wanted: Sequence[str]) -> list[str]:
        """The provider order to try for a channel (always ending with local as last resort)."""
        if self.mode == "local":
            return [LOCAL]
        order = list(wanted) or [e.name for e in self.endpoints]
        return order if LOCAL in order else [*order, LOCAL]

    def endpoint(self, name: str) -> Endpoint:
        for ep in self.endpoints:
            if ep.name == name:
                return ep
        spec = BY_NAME.get(name)
        hint = (
            f"set {spec.key_env}"
            if spec and spec.key_env
            else f"set REELFORGE_{name.upper()}_BASE_URL"
        )
        raise ProviderError(name, f"not configured ({hint})")

    def prices(self) -> PriceTable:
        return _prices(self.prices_path)

    def http(self, ep: Endpoint, headers: dict[str, str]) -> ProviderHttp:
        settings = RetrySettings(
            attempts=self.retry_attempts,
            base_seconds=self.retry_base_s,
            read_timeout=self.read_timeout,
        )
        return ProviderHttp(ep.name, ep.base_url, headers, settings)
