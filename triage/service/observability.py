"""Structured (JSON) logs, an access log without query strings, and Prometheus metrics.

Metrics live in the process: with several server processes, Prometheus scrapes each one (or sums
them); nothing here needs a shared store. No log line carries message text, tokens or query strings.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from bisect import bisect_left
from collections.abc import Awaitable, Callable, MutableMapping, Sequence
from datetime import UTC, datetime
from typing import Any, Final

from triage.engine.verdict import ModelInfo, Verdict

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LATENCY_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_RESERVED: Final = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message"}
access_log = logging.getLogger("triage.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _RESERVED})
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def log_config(level: str = "INFO", *, as_json: bool = True) -> dict[str, Any]:
    """A logging dictConfig for uvicorn and the app: one JSON object per line on stderr (or plain text)."""
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    plain = {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": {"()": JsonFormatter} if as_json else plain},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level, "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level, "propagate": True},
            # uvicorn's access log prints the query string (the Perspective API's ?key=TOKEN): off.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(names: Sequence[str], values: Sequence[str], extra: str = "") -> str:
    parts = [f'{n}="{_escape(v)}"' for n, v in zip(names, values, strict=True)]
    if extra:
        parts.append(extra)
    return "{" + ",".join(parts) + "}" if parts else ""


class Histogram:
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = (), buckets: Sequence[float] = ()):
        self.name, self.help, self.label_names = name, help_text, tuple(labels)
        self.buckets = tuple(buckets or LATENCY_BUCKETS)
        self._lock = threading.Lock()
        self._series: dict[tuple[str, ...], list[float]] = {}  # bucket counts..., +Inf count, sum

    def observe(self, value: float, *labels: str) -> None:
        with self._lock:
            series = self._series.setdefault(labels, [0.0] * (len(self.buckets) + 2))
            series[bisect_left(self.buckets, value)] += 1
            series[-1] += value

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        with self._lock:
            items = sorted((k, list(v)) for k, v in self._series.items())
        for labels, series in items:
            running = 0.0
            for bound, count in zip([*self.buckets, float("inf")], series[:-1], strict=True):
                running += count
                le = 'le="+Inf"' if bound == float("inf") else f'le="{bound!r}"'
                lines.append(f"{self.name}_bucket{_labels(self.label_names, labels, le)} {running:g}")
            lines.append(f"{self.name}_sum{_labels(self.label_names, labels)} {series[-1]:.6f}")
            lines.append(f"{self.name}_count{_labels(self.label_names, labels)} {running:g}")
        return lines


class Counter:
    def __init__(self, name: str, help_text: str, labels: Sequence[str] = ()) -> None:
        self.name, self.help, self.label_names = name, help_text, tuple(labels)
        self._lock = threading.Lock()
        self._values: dict[tuple[str, ...], float] = {}

    def inc(self, *labels: str, amount: float = 1.0) -> None:
        with self._lock:
            self._values[labels] = self._values.get(labels, 0.0) + amount

    def render(self) -> list[str]:
        lines = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        with self._lock:
            items = sorted(self._values.items())
        lines += [f"{self.name}{_labels(self.label_names, k)} {v:g}" for k, v in items]
        return lines


def gauge(
    name: str, help_text: str, label_names: Sequence[str], rows: Sequence[tuple[Sequence[str], float]]
) -> list[str]:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} gauge"]
    lines += [f"{name}{_labels(label_names, labels)} {value:g}" for labels, value in rows]
    return lines


class Metrics:
    """The metrics of one app instance."""

    def __init__(self) -> None:
        self.requests = Histogram(
            "triage_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status.",
            ("method", "route", "status"),
        )
        self.engine = Histogram(
            "triage_engine_classify_duration_seconds",
            "Time the engine took per call, by kind (classify: one text; classify_many: a batch).",
            ("kind",),
        )
        self.engine_texts = Counter("triage_engine_texts_total", "Texts classified by the engine.")
        self.rate_limited = Counter(
            "triage_rate_limited_total", "Requests refused by a rate limit or lock-out.", ("limit",)
        )


class TimedClassifier:
    """Wraps the engine so that every call is timed into the metrics; behaves like the engine."""

    def __init__(self, inner: Any, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics

    @property
    def model_info(self) -> ModelInfo:  # read through: a live model changes version when promoted
        info: ModelInfo = self.inner.model_info
        return info

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        start = time.perf_counter()
        try:
            verdict: Verdict = self.inner.classify(text, recipient=recipient)
            return verdict
        finally:
            self.metrics.engine.observe(time.perf_counter() - start, "classify")
            self.metrics.engine_texts.inc()

    def classify_many(
        self, texts: Sequence[str], recipients: Sequence[str | None] | None = None
    ) -> list[Verdict]:
        start = time.perf_counter()
        try:
            verdicts: list[Verdict] = self.inner.classify_many(texts, recipients)
            return verdicts
        finally:
            self.metrics.engine.observe(time.perf_counter() - start, "classify_many")
            self.metrics.engine_texts.inc(amount=len(texts))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class RequestMetrics:
    """Pure ASGI middleware: times each request into the histogram (by route template, never the raw
    path) and writes one access-log line without the query string. Adds an X-Request-ID header."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        request_id = secrets.token_hex(8)
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            elapsed = time.perf_counter() - start
            route = scope.get("route")
            template = getattr(route, "path", None) or "unmatched"
            if template.startswith("/static"):
                template = "/static"
            self.metrics.requests.observe(elapsed, scope["method"], template, str(status))
            access_log.info(
                "%s %s %s",
                scope["method"],
                template,
                status,
                extra={
                    "request_id": request_id,
                    "method": scope["method"],
                    "route": template,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": (scope.get("client") or ("", 0))[0],
                },
            )
