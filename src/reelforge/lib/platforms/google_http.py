"""An httplib2-shaped transport over httpx for google-api-python-client.

Why not httplib2 itself: on a dropped connection httplib2 silently opens a new one and sends
the same request body again. For a resumable-upload chunk that means re-sending bytes the
server may already have committed, exactly what a resumable upload must never do. This
transport sends each request once; on a failure googleapiclient marks the upload as in
error and its next step asks the server where it stands (`Content-Range: bytes */SIZE`).

Failures surface as the exceptions googleapiclient expects from a transport: `TimeoutError`
and `ConnectionError` (both `OSError`), which the platform client maps to transient errors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httplib2
import httpx

ResponseHook = Callable[[str, str, httplib2.Response], None]


class HttpxTransport:
    """The part of `httplib2.Http`'s interface that googleapiclient and google-auth use."""

    def __init__(self, timeout_s: float = 120.0, connect_timeout_s: float = 10.0) -> None:
        self.timeout = timeout_s
        self._client = httpx.Client(
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            follow_redirects=False,  # 308 is the resumable protocol's "incomplete", not a move
        )
        # Called with (method, uri, response) after every answer; the YouTube client uses
        # it to save a resumable session URI the moment the server opens it.
        self.on_response: ResponseHook | None = None

    def request(
        self,
        uri: str,
        method: str = "GET",
        body: Any = None,
        headers: dict[str, str] | None = None,
        redirections: int = 0,
        connection_type: Any = None,
        **_: Any,
    ) -> tuple[httplib2.Response, bytes]:
        if body is not None and hasattr(body, "read"):
            body = body.read()  # a chunk slice of the media file
        if isinstance(body, str):
            body = body.encode()
        try:
            answer = self._client.request(method, uri, content=body, headers=headers or {})
        except httpx.TimeoutException as exc:
            raise TimeoutError(f"timed out ({type(exc).__name__})") from None
        except httpx.TransportError as exc:
            raise ConnectionError(f"connection failed ({type(exc).__name__}: {exc})") from None
        info: dict[str, str] = {k.lower(): v for k, v in answer.headers.items()}
        info["status"] = str(answer.status_code)
        response = httplib2.Response(info)
        response.reason = answer.reason_phrase
        if self.on_response is not None:
            self.on_response(method, uri, response)
        return response, answer.content

    def close(self) -> None:
        self._client.close()
