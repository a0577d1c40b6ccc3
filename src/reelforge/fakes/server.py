"""One HTTP server on 127.0.0.1 for every fake provider, with fault injection.

Faults are set at run time through ``POST /_admin/faults``::

    {"rate": 0.3, "kinds": ["429", "500", "timeout", "drop", "malformed"], "seed": 7,
     "retry_after": 0, "timeout_seconds": 3,
     "script": {"openai.chat": ["500", "ok"]}}

`rate` faults a random share of requests to routes marked billable-or-not alike; `script`
queues exact outcomes for a route (consumed first). Besides the kinds above, "html" answers
a proxy's 502 HTML page, "empty" a 200 with no body, and ``responses`` names any other
answer a test needs (a hostile body: wrong types, a PNG that is not one, a huge string)::

    {"responses": {"not_png": {"status": 200, "content_type": "image/png",
                               "body": "GIF89a...", "repeat": 1}},
     "script": {"stability.images": ["not_png"]}}
 ``GET /_admin/stats`` counts requests,
faults and successes per route, so tests can compare them with the ledger;
``GET /_admin/state/FAMILY`` shows a family's state (the publishing platforms' posts and
upload sessions) when the family keeps one in ``server.state`` with a ``snapshot()``.

Run: ``python -m reelforge.fakes.server --port 0 --port-file PATH``.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import pkgutil
import random
import re
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str]
    base_url: str

    def json(self) -> Any:
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    # Cut the connection instead of answering (a fake that "dies" mid-request after
    # having acted on part of it, e.g. committed half an upload chunk).
    drop: bool = False

    @classmethod
    def of_json(
        cls, data: Any, status: int = 200, headers: dict[str, str] | None = None
    ) -> Response:
        return cls(
            status,
            json.dumps(data).encode(),
            {"Content-Type": "application/json", **(headers or {})},
        )


Handler = Callable[[Request], Response]


@dataclass
class Route:
    name: str
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    faultable: bool
    billable: bool


class Router:
    def __init__(self) -> None:
        self.routes: list[Route] = []

    def add(
        self,
        name: str,
        method: str,
        path: str,
        handler: Handler,
        faultable: bool = True,
        billable: bool = False,
    ) -> None:
        """`path` may hold `{name}` placeholders (one path segment) or `{name:path}` (rest)."""
        regex = re.sub(r"\{(\w+):path\}", r"(?P<\1>.+)", path)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", regex)
        self.routes.append(
            Route(name, method.upper(), re.compile(f"^{regex}$"), handler, faultable, billable)
        )

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self.routes:
            found = route.pattern.match(path)
            if found and route.method == method:
                return route, found.groupdict()
        return None


class Faults:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.configure({})

    def configure(self, spec: dict[str, Any]) -> None:
        with self.lock:
            self.rate = float(spec.get("rate", 0.0))
            self.kinds = list(spec.get("kinds", ["429", "500", "timeout", "drop", "malformed"]))
            self.rng = random.Random(spec.get("seed", 0))  # nosec B311 # seeded random for reproducible content, simulation or retry jitter, not for security
            self.retry_after = str(spec.get("retry_after", 0))
            self.timeout_seconds = float(spec.get("timeout_seconds", 3.0))
            self.script = {k: deque(v) for k, v in spec.get("script", {}).items()}
            self.options: dict[str, Any] = dict(spec.get("options", {}))
            self.responses: dict[str, dict[str, Any]] = dict(spec.get("responses", {}))
            self.ticks: Counter[str] = Counter()

    def tick(self, name: str) -> int:
        """A counter that restarts whenever faults are configured (for "every Nth" options)."""
        with self.lock:
            self.ticks[name] += 1
            return self.ticks[name]

    def pick(self, route: Route) -> str:
        with self.lock:
            queue = self.script.get(route.name)
            if queue:
                return queue.popleft()
            if route.faultable and self.rate and self.rng.random() < self.rate:
                return self.rng.choice(self.kinds)
            return "ok"


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int) -> None:
        self.router = Router()
        self.faults = Faults()
        self.stats: Counter[str] = Counter()
        self.stats_lock = threading.Lock()
        self.state: dict[str, Any] = {}  # per-family state, keyed by family
        for module in pkgutil.iter_modules(_package_path()):
            mod = importlib.import_module(f"reelforge.fakes.{module.name}")
            register = getattr(mod, "register", None)
            if callable(register):
                register(self.router, self)
        super().__init__(("127.0.0.1", port), _Handler)

    def count(self, key: str) -> None:
        with self.stats_lock:
            self.stats[key] += 1

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


def _package_path() -> list[str]:
    return [str(Path(__file__).parent)]


class _Handler(BaseHTTPRequestHandler):
    server: FakeServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *_: Any) -> None:  # quiet: tests read /_admin/stats instead
        return

    def _dispatch(self) -> None:
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if split.path.startswith("/_admin/"):
            self._send(self._admin(split.path, body))
            return
        matched = self.server.router.match(self.command, split.path)
        if matched is None:
            self._send(
                Response.of_json(
                    {"error": {"message": f"no route {self.command} {split.path}"}}, 404
                )
            )
            return
        route, params = matched
        outcome = self.server.faults.pick(route)
        self.server.count(f"{route.name}.requests")
        if outcome != "ok":
            self.server.count(f"{route.name}.fault.{outcome}")
            self._fault(outcome)
            return
        request = Request(
            method=self.command, path=split.path, query=parse_qs(split.query),
            headers={k.lower(): v for k, v in self.headers.items()}, body=body, params=params,
            base_url=self.server.base_url,
        )  # fmt: skip
        try:
            response = route.handler(request)
        except Exception as exc:  # a bug in a fake must be visible, not a hang
            response = Response.of_json({"error": {"message": f"fake server error: {exc!r}"}}, 500)
        if response.drop:
            self.server.count(f"{route.name}.fault.cut")
            self._drop()
            return
        if response.status < 400:
            self.server.count(f"{route.name}.ok")
            if route.billable:
                # What a real provider would charge for: compared with the ledger in tests.
                self.server.count("billable.ok")
        self._send(response)

    def _fault(self, kind: str) -> None:
        faults = self.server.faults
        if kind == "429":
            body = {"error": {"message": "rate limited", "type": "rate_limit"}}
            self._send(Response.of_json(body, 429, {"Retry-After": faults.retry_after}))
        elif kind in {"500", "502", "503"}:
            self._send(Response.of_json({"error": {"message": "upstream failure"}}, int(kind)))
        elif kind == "timeout":
            time.sleep(faults.timeout_seconds)
            self._drop()
        elif kind == "drop":
            self._drop()
        elif kind == "malformed":
            self._send(
                Response(
                    200, b'{"id": "broken", "choices": [', {"Content-Type": "application/json"}
                )
            )
        elif kind == "html":
            page = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
            self._send(Response(502, page, {"Content-Type": "text/html"}))
        elif kind == "empty":
            self._send(Response(200, b"", {"Content-Type": "application/json"}))
        elif kind in faults.responses:
            spec = faults.responses[kind]
            body = str(spec.get("body", "")).encode("utf-8", "surrogatepass")
            headers = {"Content-Type": str(spec.get("content_type", "application/json"))}
            self._send(Response(int(spec.get("status", 200)), body * int(spec.get("repeat", 1)),
                                headers))  # fmt: skip
        else:
            self._send(Response.of_json({"error": {"message": f"unknown fault {kind}"}}, 500))

    def _drop(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True

    def _admin(self, path: str, body: bytes) -> Response:
        if path == "/_admin/faults" and self.command == "POST":
            self.server.faults.configure(json.loads(body or b"{}"))
            return Response.of_json({"ok": True})
        if path == "/_admin/stats":
            with self.server.stats_lock:
                return Response.of_json(dict(self.server.stats))
        if path.startswith("/_admin/state/"):
            # A family's observable state (e.g. posts per account, bytes per upload session),
            # for tests that count duplicates; families opt in with a `snapshot()` method.
            family = self.server.state.get(path.removeprefix("/_admin/state/"))
            if family is None or not hasattr(family, "snapshot"):
                return Response.of_json({"error": "unknown state family"}, 404)
            return Response.of_json(family.snapshot())
        if path == "/_admin/reset" and self.command == "POST":
            with self.server.stats_lock:
                self.server.stats.clear()
            self.server.faults.configure({})
            return Response.of_json({"ok": True})
        return Response.of_json({"error": "unknown admin path"}, 404)

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        for key, value in response.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--port-file", type=Path)
    args = parser.parse_args()
    server = FakeServer(args.port)
    if args.port_file:
        tmp = args.port_file.with_suffix(".tmp")
        tmp.write_text(str(server.server_address[1]))
        tmp.replace(args.port_file)
    print(f"fake providers on {server.base_url}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
