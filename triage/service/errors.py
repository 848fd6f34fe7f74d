"""One handler renders the error hierarchy: JSON for the API, a redirect or a page for the web UI."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy import exc as sa_exc
from starlette.exceptions import HTTPException

from triage.errors import (
    DatabaseUnavailable,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    TooManyRequests,
    TriageError,
    Unauthorized,
)

log = logging.getLogger(__name__)


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/v1alpha1/")) or "application/json" in request.headers.get(
        "accept", ""
    )


def render(request: Request, error: TriageError, details: object = None) -> Response:
    if _is_api(request):
        body: dict[str, object] = {"code": error.code, "message": error.message}
        if details is not None:
            body["details"] = details
        headers = {"WWW-Authenticate": "Bearer"} if isinstance(error, Unauthorized) else None
        if isinstance(error, TooManyRequests | DatabaseUnavailable):
            headers = {"Retry-After": str(getattr(error, "retry_after", 5))}
        return JSONResponse({"error": body}, status_code=error.status, headers=headers)
    if isinstance(error, Unauthorized):
        return RedirectResponse("/login", status_code=303)
    from triage.service.web import render_page

    return render_page(request, "error.html", {"error": error}, status_code=error.status)


def install(app: FastAPI) -> None:
    async def on_triage_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, TriageError)
        return render(request, exc)

    async def on_validation(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        details = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return render(request, InvalidInput("the request is not valid"), details)

    async def on_http(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        error: TriageError
        if exc.status_code == 404:
            error = NotFound("not found")
        elif exc.status_code == 403:
            error = Forbidden(str(exc.detail))
        elif exc.status_code == 413:
            error = PayloadTooLarge("the request body is too large")
        else:
            error = TriageError(str(exc.detail))
            error.status = exc.status_code
            error.code = "http_error"
        return render(request, error)

    async def on_database_error(request: Request, exc: Exception) -> Response:
        # Only connection-level failures (the database is gone, the pool is exhausted, a locked SQLite
        # file) become a 503 the client may retry; any other database error stays a 500 (a bug).
        if isinstance(exc, sa_exc.DBAPIError) and not (
            exc.connection_invalidated or isinstance(exc, sa_exc.OperationalError | sa_exc.InterfaceError)
        ):
            raise exc
        log.warning("database unavailable: %s", type(exc).__name__)
        return render(request, DatabaseUnavailable("the database is not reachable; try again shortly"))

    app.add_exception_handler(TriageError, on_triage_error)
    app.add_exception_handler(sa_exc.DBAPIError, on_database_error)
    app.add_exception_handler(sa_exc.TimeoutError, on_database_error)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
