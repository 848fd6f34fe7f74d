from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy import func, select, text

from triage.engine.labels import SEVERITIES
from triage.service.deps import ClassifierDep, StateDep
from triage.service.observability import Metrics, gauge
from triage.service.state import AppState
from triage.store.models import Report

router = APIRouter(tags=["health"])
OPEN_STATUSES = ("new", "in_review")


@router.get("/healthz")
def healthz(classifier: ClassifierDep) -> dict[str, str]:
    return {"status": "ok", "model": f"{classifier.model_info.name} {classifier.model_info.version}"}


@router.get("/readyz")
def readyz(state: StateDep) -> JSONResponse:
    """Ready when the database answers and the model is loaded; 503 otherwise (a DB error becomes 503)."""
    with state.db.connect() as connection:
        connection.execute(text("SELECT 1"))
    model = getattr(state.classifier, "model_info", None)
    if model is None:
        return JSONResponse({"status": "unavailable", "reason": "model not loaded"}, status_code=503)
    return JSONResponse({"status": "ready", "database": "ok", "model": f"{model.name} {model.version}"})


def _queue_sizes(state: AppState) -> list[tuple[str, int]]:
    with state.sessions() as session:
        rows = session.execute(
            select(Report.severity, func.count(Report.id))
            .where(Report.status.in_(OPEN_STATUSES), Report.duplicate_of_id.is_(None))
            .group_by(Report.severity)
        ).all()
    return [(str(severity), int(count)) for severity, count in rows]


@router.get("/metrics", response_class=PlainTextResponse)
async def metrics(request: Request, state: StateDep) -> PlainTextResponse:
    """Prometheus text format: request latency, engine latency, queue size per severity, model."""
    registry: Metrics = request.app.state.metrics
    model = state.classifier.model_info
    sizes: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    sizes.update(await run_in_threadpool(_queue_sizes, state))
    lines = [
        *registry.requests.render(),
        *registry.engine.render(),
        *registry.engine_texts.render(),
        *registry.rate_limited.render(),
        *gauge(
            "triage_queue_size",
            "Open reports (new or in review, duplicates not counted) per severity.",
            ("severity",),
            [((severity,), count) for severity, count in sizes.items()],
        ),
        *gauge(
            "triage_model_info",
            "The model that classifies, as labels.",
            ("name", "version"),
            [((model.name, model.version), 1)],
        ),
    ]
    return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8")
