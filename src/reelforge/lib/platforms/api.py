"""HTTP for the httpx-based platform clients (TikTok, Instagram).

Unlike the providers' `ProviderHttp`, a platform's 4xx answers carry codes that decide
between retry, defer and fail (TikTok's `error.code`, Graph API's `error.code/subcode`), so
each client passes a `classify(response) -> PlatformError`. Transport failures, 5xx and
garbled JSON are transient; transient errors are retried with `Backoff` when the call is
safe to repeat (`retry=True`), else raised at once for the caller's own resume logic.
Messages never include URLs (they may carry upload tokens) or credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from reelforge.lib.platforms.base import PlatformError, TransientPlatformError
from reelforge.lib.platforms.retrying import Backoff
from reelforge.lib.providers.http import parse_retry_after

Classify = Callable[[httpx.Response], PlatformError]


class PlatformApi:
    def __init__(
        self,
        platform: str,
        base_url: str,
        classify: Classify,
        headers: Mapping[str, str] | None = None,
        backoff: Backoff | None = None,
        timeout_s: float = 120.0,
    ) -> None:
        self.platform = platform
        self.classify = classify
        self.backoff = backoff or Backoff()
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"),
            headers=dict(headers or {}),
            timeout=httpx.Timeout(timeout_s, connect=min(10.0, timeout_s)),
        )

    def close(self) -> None:
        self.client.close()

    def _once(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise TransientPlatformError(
                self.platform, f"timed out ({type(exc).__name__})"
            ) from None
        except httpx.TransportError as exc:
            raise TransientPlatformError(
                self.platform, f"connection failed ({type(exc).__name__})"
            ) from None
        if response.status_code < 400:
            return response
        error = self.classify(response)
        if error.transient:
            error.retry_after = parse_retry_after(response.headers.get("retry-after"))  # type: ignore[attr-defined]
        raise error

    def send(self, method: str, url: str, retry: bool = True, **kwargs: Any) -> httpx.Response:
        """One request (retried on transient failures if `retry`); a 2xx/3xx response."""
        if not retry:
            return self._once(method, url, **kwargs)
        return self.backoff.run(lambda: self._once(method, url, **kwargs))

    def json(self, method: str, url: str, retry: bool = True, **kwargs: Any) -> Any:
        """Like `send`, decoding the JSON body (a garbled body counts as transient)."""

        def once() -> Any:
            response = self._once(method, url, **kwargs)
            try:
                return response.json()
            except ValueError:
                raise TransientPlatformError(
                    self.platform, "answered with malformed JSON"
                ) from None

        return self.backoff.run(once) if retry else once()
