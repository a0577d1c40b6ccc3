"""Long-running provider jobs: poll until done (with backoff and a deadline), then download.

Video APIs answer a submission with a job id and finish minutes later; their result links
expire (Veo's after two days, fal's CDN and OpenAI's content sooner or later), so a finished
job is downloaded at once into a local file and the caller stores it permanently.
The clock and the sleep are injectable so tests run a ten-minute deadline in microseconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

from reelforge.lib import atomic
from reelforge.lib.providers.errors import InvalidResponseError, ProviderError
from reelforge.lib.providers.http import ProviderHttp, RetrySettings

T = TypeVar("T")
Clock = Callable[[], float]
Sleep = Callable[[float], None]
# A download link that answers these is gone for good: asking again cannot help.
GONE_STATUS = frozenset({401, 403, 404, 410})


@dataclass(frozen=True)
class PollSettings:
    """How a job is watched: first wait `interval`, growing by `backoff` up to `max_interval`;
    give up once `deadline` seconds have passed since the submission."""

    interval: float = 10.0
    max_interval: float = 60.0
    backoff: float = 1.5
    deadline: float = 900.0
    download_attempts: int = 3


def poll(
    provider: str,
    job: str,
    check: Callable[[], T | None],
    settings: PollSettings,
    *,
    clock: Clock = time.monotonic,
    sleep: Sleep = time.sleep,
) -> T:
    """Call `check` until it returns a value (None: still pending) or the deadline passes.

    `check` raises ProviderError when the job failed. A poll whose HTTP retries ran out on a
    transient fault does not lose the job (it is still running and maybe paid for): polling
    goes on until the deadline. Anything else (a refusal, a bad key, an open circuit) stops.
    """
    started = clock()
    wait = settings.interval
    last_fault = ""
    while True:
        try:
            result = check()
        except ProviderError as exc:
            if not exc.retryable:
                raise
            result, last_fault = None, f"; last poll failed: {exc}"
        if result is not None:
            return result
        elapsed = clock() - started
        remaining = settings.deadline - elapsed
        if remaining <= 0:
            raise ProviderError(
                provider,
                f"job {job} still pending after {elapsed:.0f} s "
                f"(deadline {settings.deadline:.0f} s){last_fault}",
                retryable=False,
            )
        sleep(min(wait, remaining))
        wait = min(wait * settings.backoff, settings.max_interval)


def same_host(url: str, base_url: str) -> bool:
    """Whether `url` points at the provider's own API host (the only place our key may go)."""
    a, b = urlsplit(url), urlsplit(base_url)
    return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)


def looks_like_mp4(head: bytes) -> bool:
    """ISO base media files start with a box whose type is `ftyp` (MP4, MOV)."""
    return len(head) >= 12 and head[4:8] == b"ftyp"


def download(
    http: ProviderHttp,
    url: str,
    dest: Path,
    *,
    attempts: int = 3,
    authenticated: bool = True,
    sleep: Sleep = time.sleep,
) -> Path:
    """Fetch a finished job's video into `dest` (atomically); at most `attempts` tries.

    The provider's headers (its key) are sent only when `authenticated` and the link is on the
    provider's own host: result links often point at a CDN that must never see the key.
    A 401/403/404/410 means the link expired or was withdrawn: a clear, final failure.
    """
    with_key = authenticated and same_host(url, str(http.client.base_url))
    headers = dict(http.client.headers) if with_key else {}
    settings = RetrySettings(
        attempts=attempts,
        base_seconds=1.0,
        read_timeout=http.settings.read_timeout,
        connect_timeout=http.settings.connect_timeout,
    )
    fetcher = ProviderHttp(http.provider, "", headers, settings, http.breaker, sleep)
    try:
        response = fetcher.request("GET", url)
    except ProviderError as exc:
        if exc.status in GONE_STATUS:
            raise ProviderError(
                http.provider,
                "the finished video's download link has expired or is gone; "
                "the job has to be submitted again",
                status=exc.status,
            ) from None
        raise
    finally:
        fetcher.close()
    data = response.content
    if not looks_like_mp4(data[:16]):
        raise InvalidResponseError(http.provider, f"download is not an MP4 ({len(data)} bytes)")
    atomic.write_bytes(dest, data)
    return dest
