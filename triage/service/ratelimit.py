"""Rate limits in the process: forwarding per credential, login attempts per client address.

A fixed one-minute window per key; with several server processes each one counts on its own, so the
effective limit is at most (processes x limit). Lock-out after failed logins is kept in the database
(`triage.store.lockout`), so it holds across processes and restarts.
"""

from __future__ import annotations

import hashlib
import threading
import time
from typing import Any, Final
from urllib.parse import parse_qs

from triage.errors import PayloadTooLarge, TooManyRequests
from triage.service.errors import render
from triage.service.observability import ASGIApp, Metrics, Receive, Scope, Send

FORWARD_PATHS: Final = frozenset({"/api/v1/reports", "/api/v1/reports/eml", "/forward"})
ANALYZE_PATH: Final = "/v1alpha1/comments:analyze"
MAX_KEYS: Final = 100_000


class FixedWindow:
    def __init__(self, limit: int, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[float, int]] = {}

    def hit(self, key: str, now: float | None = None) -> int | None:
        """Counts one request; returns None when allowed, else the seconds until the window resets."""
        if self.limit <= 0:
            return None
        now = time.monotonic() if now is None else now
        with self._lock:
            start, count = self._counts.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.limit:
                return max(1, int(self.window - (now - start)) + 1)
            self._counts[key] = (start, count + 1)
            if len(self._counts) > MAX_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
        return None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin-1")
    return ""


def _credential_key(scope: Scope, query_key: bool = False) -> str:
    """Who forwards: the bearer token or the session cookie (hashed), else the client address; with
    `query_key`, first the `?key=` of the query string (Perspective clients send their key there)."""
    if query_key:
        keys = parse_qs(bytes(scope.get("query_string", b"")).decode("latin-1")).get("key")
        if keys and keys[0]:
            return "t:" + hashlib.sha256(f"Bearer {keys[0]}".encode()).hexdigest()[:32]
    authorization = _header(scope, b"authorization")
    if authorization:
        return "t:" + hashlib.sha256(authorization.encode()).hexdigest()[:32]
    cookie = _header(scope, b"cookie")
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == "triage_session" and value:
            return "s:" + hashlib.sha256(value.encode()).hexdigest()[:32]
    return "a:" + str((scope.get("client") or ("", 0))[0])


class RateLimits:
    """Pure ASGI middleware in front of the app; answers 429 with Retry-After when a limit is hit."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        forward_per_minute: int,
        login_per_minute: int,
        metrics: Metrics,
        analyze_per_minute: int = 0,
    ) -> None:
        self.app = app
        self.forward = FixedWindow(forward_per_minute)
        self.login = FixedWindow(login_per_minute)
        self.analyze = FixedWindow(analyze_per_minute)
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            path = scope["path"].rstrip("/") or "/"
            wait: int | None = None
            limit = ""
            if path in FORWARD_PATHS:
                limit, wait = "forward", self.forward.hit(_credential_key(scope))
            elif path == ANALYZE_PATH:
                limit, wait = "analyze", self.analyze.hit(_credential_key(scope, query_key=True))
            elif path == "/login":
                limit, wait = "login", self.login.hit("a:" + str((scope.get("client") or ("", 0))[0]))
            if wait is not None:
                self.metrics.rate_limited.inc(limit)
                await self._refuse(scope, receive, send, limit, wait)
                return
        await self.app(scope, receive, send)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: str, wait: int) -> None:
        from starlette.requests import Request

        request = Request(scope, receive)
        what = {"forward": "forwards", "analyze": "requests"}.get(limit, "login attempts")
        response: Any = render(request, TooManyRequests(f"too many {what}; try again in {wait} s", wait))
        response.headers["Retry-After"] = str(wait)
        await response(scope, receive, send)


class BodyLimit:
    """Counts the bytes of every request body as they arrive, so that a body sent without a
    Content-Length (chunked) cannot exceed the limit either; the route's read then fails with 413."""

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Any:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise PayloadTooLarge(f"the request body is larger than {self.max_bytes} bytes")
            return message

        await self.app(scope, counting_receive, send)
