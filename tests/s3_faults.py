"""An HTTP proxy in front of moto_server that answers some S3 requests with 500 or drops them.

S3 clients (boto3) sign the Host header, so the proxy forwards the request unchanged (same
path, query, headers and body) to the real server and relays the answer. Faults are chosen
per request: `fail_next(n)` fails the next n requests, `rate` fails a random share.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

_ERROR = (
    b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code>'
    b"<Message>We encountered an internal error. Please try again.</Message></Error>"
)
_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}


class S3FaultProxy:
    def __init__(self, upstream: str, seed: int = 7) -> None:
        self.upstream = upstream.rstrip("/")
        self.rate = 0.0
        self._next = 0
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self.requests = 0
        self.faults = 0
        self.url = ""

    def fail_next(self, n: int) -> None:
        with self._lock:
            self._next = n

    def _fault(self) -> bool:
        with self._lock:
            self.requests += 1
            hit = self._next > 0 or self._random.random() < self.rate
            self._next = max(0, self._next - 1)
            self.faults += hit
            return hit

    def handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self
        client = httpx.Client(timeout=30)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _relay(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if proxy._fault():
                    # HEAD answers carry no body, even for errors (S3 says just "500").
                    error = b"" if self.command == "HEAD" else _ERROR
                    self.send_response(500)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(error)))
                    self.end_headers()
                    self.wfile.write(error)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() != "content-length"}
                answer = client.request(
                    self.command, proxy.upstream + self.path, headers=headers, content=body
                )
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in _HOP and key.lower() != "content-encoding":
                        self.send_header(key, value)
                data = answer.content if self.command != "HEAD" else b""
                # HEAD keeps the object's length; other answers carry exactly `data`.
                size = answer.headers.get("content-length", "0")
                length_out = size if self.command == "HEAD" else str(len(data))
                self.send_header("Content-Length", length_out)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _relay

        return Handler


@contextmanager
def s3_fault_proxy(upstream: str) -> Iterator[S3FaultProxy]:
    proxy = S3FaultProxy(upstream)
    server = ThreadingHTTPServer(("127.0.0.1", 0), proxy.handler())
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
