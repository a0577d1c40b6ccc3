"""Provider failures, classified so callers know whether to retry, fall back or stop."""

from __future__ import annotations


class ProviderError(RuntimeError):
    """A provider call that did not produce a usable result.

    `retryable`: worth another attempt at the same provider (429, 5xx, timeouts, drops).
    `safety`: the provider refused the content (no retry, no cost, maybe another provider).
    The message never contains the request body (prompts) or credentials.
    """

    def __init__(
        self,
        provider: str,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        safety: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.provider = provider
        self.status = status
        self.retryable = retryable
        self.safety = safety
        self.retry_after = retry_after
        where = f"{provider} (HTTP {status})" if status else provider
        super().__init__(f"{where}: {message}")


class CircuitOpenError(ProviderError):
    """The provider failed too often recently; calls are short-circuited for a while."""


class InvalidResponseError(ProviderError):
    """The provider answered, but not with what its protocol promises."""
