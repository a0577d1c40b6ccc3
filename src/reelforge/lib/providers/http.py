"""HTTP to providers: timeouts, bounded retries with full jitter, Retry-After, circuit breaker.

Retries cover 429, 5xx, timeouts and dropped connections; any other 4xx fails at once
(retrying a bad request or a bad key only burns quota). After `threshold` consecutive
failed calls a provider's circuit opens for `cooldown` seconds, so a dead provider costs
one fast failure per call and the fallback chain moves on.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import tenacity

from reelforge.lib.providers.errors import CircuitOpenError, ProviderError

T = TypeVar("T")
RETRYABLE_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})
# Error codes/names with which providers refuse content (OpenAI Images, Stability, Azure).
SAFETY_CODES = frozenset(
    {"content_policy_violation", "moderation_blocked", "content_moderation", "content_filter"}
)


@dataclass(frozen=True)
class RetrySettings:
    attempts: int = 4
    base_seconds: float = 0.5
    cap_seconds: float = 20.0
    max_retry_after: float = 60.0
    connect_timeout: float = 10.0
    read_timeout: float = 120.0


@dataclass
class CircuitBreaker:
    threshold: int = 5
    cooldown: float = 30.0
    clock: Callable[[], float] = time.monotonic
    _failures: int = 0
    _opened_at: float | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, provider: str) -> None:
        with self._lock:
            if self._opened_at is None:
                return
            if self.clock() - self._opened_at >= self.cooldown:
                self._opened_at = None  # half-open: let one call through
                self._failures = self.threshold - 1
                return
        raise CircuitOpenError(provider, f"circuit open after {self.threshold} failures")

    def record(self, ok: bool) -> None:
        with self._lock:
            if ok:
                self._failures, self._opened_at = 0, None
                return
            self._failures += 1
            if self._failures >= self.threshold:
                self._opened_at = self.clock()


_BREAKERS: dict[str, CircuitBreaker] = {}
_BREAKERS_LOCK = threading.Lock()


def breaker_for(provider: str) -> CircuitBreaker:
    """One breaker per provider per process (shared by every client of that provider)."""
    with _BREAKERS_LOCK:
        return _BREAKERS.setdefault(provider, CircuitBreaker())


def reset_breakers() -> None:
    with _BREAKERS_LOCK:
        _BREAKERS.clear()


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _error_text(response: httpx.Response) -> str:
    """The provider's own error message, short, for the operator (never our request)."""
    try:
        body: Any = response.json()
    except ValueError:
        return response.text[:300] or response.reason_phrase
    if isinstance(body, dict):
        err = body.get("error", body.get("detail", body.get("message", body)))
        if isinstance(err, dict):
            err = err.get("message", err)
        return str(err)[:300]
    return str(body)[:300]


def _is_safety(response: httpx.Response) -> bool:
    """Whether a 4xx answer is a content refusal (never worth retrying at this provider)."""
    try:
        body: Any = response.json()
    except ValueError:
        return False
    if not isinstance(body, dict):
        return False
    err = body.get("error")
    fields = [body.get("name"), body.get("code")]
    if isinstance(err, dict):
        fields += [err.get("code"), err.get("type")]
    return any(isinstance(f, str) and f in SAFETY_CODES for f in fields)


class ProviderHttp:
    """An httpx client for one provider with the retry and breaker policy above."""

    def __init__(
        self,
        provider: str,
        base_url: str,
        headers: Mapping[str, str] | None = None,
        settings: RetrySettings | None = None,
        breaker: CircuitBreaker | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.provider = provider
        self.settings = settings or RetrySettings()
        self.breaker = breaker or breaker_for(provider)
        self._sleep = sleep
        self._rng = rng or random.Random()  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
        s = self.settings
        self.client = httpx.Client(
            base_url=base_url,
            headers=dict(headers or {}),
            timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
            follow_redirects=True,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ProviderHttp:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def _wait(self, state: tenacity.RetryCallState) -> float:
        err = state.outcome.exception() if state.outcome else None
        if isinstance(err, ProviderError) and err.retry_after is not None:
            return min(err.retry_after, self.settings.max_retry_after)
        ceiling = min(
            self.settings.cap_seconds, self.settings.base_seconds * 2 ** (state.attempt_number - 1)
        )
        return self._rng.uniform(0, ceiling)  # full jitter

    def _once(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        self.breaker.check(self.provider)
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.TimeoutException as exc:
            raise ProviderError(
                self.provider, f"timed out ({type(exc).__name__})", retryable=True
            ) from None
        except httpx.TransportError as exc:
            raise ProviderError(
                self.provider, f"connection failed ({type(exc).__name__})", retryable=True
            ) from None
        if response.status_code < 400:
            return response
        raise ProviderError(
            self.provider,
            _error_text(response),
            status=response.status_code,
            retryable=response.status_code in RETRYABLE_STATUS,
            safety=response.status_code < 500 and _is_safety(response),
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )

    def _once_json(self, method: str, url: str, **kwargs: Any) -> Any:
        response = self._once(method, url, **kwargs)
        try:
            return response.json()
        except ValueError:
            # A truncated or garbled body is a transport fault as far as we can tell: retry.
            raise ProviderError(
                self.provider,
                "answered with malformed JSON",
                status=response.status_code,
                retryable=True,
            ) from None

    def _retrying(self, attempt: Callable[..., Any], method: str, url: str, **kwargs: Any) -> Any:
        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.settings.attempts),
            wait=self._wait,
            retry=tenacity.retry_if_exception(
                lambda e: isinstance(e, ProviderError) and e.retryable
            ),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            result = retrying(attempt, method, url, **kwargs)
        except CircuitOpenError:
            raise
        except ProviderError:
            self.breaker.record(ok=False)
            raise
        self.breaker.record(ok=True)
        return result

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Send with retries; raise ProviderError when it cannot succeed."""
        return self._retrying(self._once, method, url, **kwargs)

    def json(self, method: str, url: str, **kwargs: Any) -> Any:
        """Send with retries and decode the JSON body (malformed JSON is retried too)."""
        return self._retrying(self._once_json, method, url, **kwargs)

    def parsed(
        self, method: str, url: str, parse: Callable[[httpx.Response], T], **kwargs: Any
    ) -> T:
        """Send with retries and `parse` the answer; a retryable ProviderError from `parse`
        (a garbled body, e.g. an image that does not decode) is retried like a 5xx."""

        def attempt(m: str, u: str, **kw: Any) -> T:
            return parse(self._once(m, u, **kw))

        return self._retrying(attempt, method, url, **kwargs)
