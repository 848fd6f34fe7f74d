"""Security headers on every response; a strict CSP (no inline scripts) except on the API docs."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final

from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse

CSP: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS: Final = ("/docs", "/redoc", "/openapi.json")


def install(app: FastAPI, *, max_body_bytes: int) -> None:
    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > max_body_bytes:
            return JSONResponse(
                {"error": {"code": "payload_too_large", "message": f"at most {max_body_bytes} bytes"}},
                status_code=413,
            )
        response = await call_next(request)
        if not request.url.path.startswith(DOCS):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Frame-Options", "DENY")
        if not request.url.path.startswith(("/static/", "/docs", "/openapi.json")):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
