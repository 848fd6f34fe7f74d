"""One handler renders the error hierarchy: JSON for the API, a redirect or a page for the web UI."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, Final

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
    UnsupportedLanguage,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)

# The Perspective-compatible endpoint answers errors in Google's API error shape, so that Perspective
# clients read them; every other path keeps ours.
PERSPECTIVE_PREFIX: Final = "/v1alpha1/"
GOOGLE_STATUS: Final = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_TYPE: Final = "type.googleapis.com/"


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/v1alpha1/")) or "application/json" in request.headers.get(
        "accept", ""
    )


def _is_perspective(request: Request) -> bool:
    return request.url.path.startswith(PERSPECTIVE_PREFIX)


def _google_error(error: TriageError, details: list[dict[str, object]] | None = None) -> JSONResponse:
    """`{"error": {"code", "message", "status", "details"}}`: invalid input is 400 INVALID_ARGUMENT, as
    at Google; the details carry our stable code (ErrorInfo) and what Perspective adds for languages."""
    invalid = isinstance(error, InvalidInput | PayloadTooLarge | UnsupportedMediaType)
    code = 400 if invalid else error.status
    extra: list[dict[str, object]] = [
        {"@type": _TYPE + "google.rpc.ErrorInfo", "reason": error.code.upper(), "domain": "triage-nl"}
    ]
    extra.extend(details or [])
    if isinstance(error, UnsupportedLanguage):
        extra.append(
            {
                "@type": _TYPE + "google.commentanalyzer.v1alpha1.Error",
                "errorType": "LANGUAGE_NOT_SUPPORTED_BY_ATTRIBUTE",
                "languageNotSupportedByAttributeError": {
                    "detectedLanguages": error.languages,
                    "attribute": error.attribute,
                },
            }
        )
    headers = None
    if isinstance(error, TooManyRequests | DatabaseUnavailable):
        wait = getattr(error, "retry_after", 5)
        headers = {"Retry-After": str(wait)}
        extra.append({"@type": _TYPE + "google.rpc.RetryInfo", "retryDelay": f"{wait}s"})
    body = {
        "code": code,
        "message": error.message,
        "status": GOOGLE_STATUS.get(code, "UNKNOWN"),
        "details": extra,
    }
    return JSONResponse({"error": body}, status_code=code, headers=headers)


def _field_violations(errors: Sequence[Any]) -> tuple[str, list[dict[str, object]]]:
    """Pydantic's errors as Google's BadRequest field violations (`comment.text`), and a message."""
    violations: list[dict[str, object]] = []
    unknown: list[str] = []
    for e in errors:
        loc = [str(part) for part in e.get("loc", ())]
        field = ".".join(loc[1:] if loc and loc[0] in ("body", "query", "header") else loc)
        if e.get("type") == "extra_forbidden":
            unknown.append(
                f"Unknown name \"{loc[-1] if loc else ''}\" at '{'.'.join(loc[1:-1])}': Cannot find field."
            )
        violations.append({"field": field, "description": str(e.get("msg", ""))})
    if any(e.get("type") == "json_invalid" for e in errors):
        message = "Invalid JSON payload received."
    elif unknown:
        message = "Invalid JSON payload received. " + " ".join(unknown)
    else:
        message = "Invalid value at " + "; ".join(f"'{v['field']}' ({v['description']})" for v in violations)
    return message, [{"@type": _TYPE + "google.rpc.BadRequest", "fieldViolations": violations}]


def render(request: Request, error: TriageError, details: object = None) -> Response:
    if _is_perspective(request):
        return _google_error(error)
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
        if _is_perspective(request):
            message, violations = _field_violations(exc.errors())
            return _google_error(InvalidInput(message), violations)
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
