"""Security headers on every response; a strict CSP (no inline scripts) except on the API docs."""

from __future__ import annotations

from typing import Final

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.datastructures import MutableHeaders

from triage.service.observability import ASGIApp, Message, Receive, Scope, Send

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS: Final = ("/docs", "/redoc", "/openapi.json")
NO_STORE_EXEMPT: Final = ("/static/", "/docs", "/openapi.json")


class SecurityHeaders:
    """Pure ASGI middleware (no task and stream per request, unlike `@app.middleware("http")`): refuses
    a declared Content-Length over the limit with 413 and adds the security headers to every response."""

    def __init__(self, app: ASGIApp, *, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                length = bytes(value).decode("latin-1")
                if length.isdigit() and int(length) > self.max_body_bytes:
                    response = JSONResponse(
                        {
                            "error": {
                                "code": "payload_too_large",
                                "message": f"at most {self.max_body_bytes} bytes",
                            }
                        },
                        status_code=413,
                    )
                    await self._with_headers(response, scope, receive, send)
                    return
                break
        await self._with_headers(self.app, scope, receive, send)

    @staticmethod
    async def _with_headers(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if not path.startswith(DOCS):
                    headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                if not path.startswith(NO_STORE_EXEMPT):
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await app(scope, receive, send_with_headers)


def install(app: FastAPI, *, max_body_bytes: int) -> None:
    app.add_middleware(SecurityHeaders, max_body_bytes=max_body_bytes)
