"""The model lifecycle over HTTP: what is served, promote (gated), roll back, reload, train in the
background, the reviewers' to-label queue, and drift of production against training."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from triage.errors import Conflict
from triage.service import model_admin
from triage.service.deps import AdminActor, DbDep, ReviewerActor, SettingsDep, StateDep
from triage.service.live_model import LiveClassifier
from triage.service.schemas import ReportSummary
from triage.service.views import report_summaries
from triage.store.models import TrainingJob

router = APIRouter(prefix="/api/v1", tags=["models"])


def optional_live_model(request: Request) -> LiveClassifier | None:
    live: LiveClassifier | None = getattr(request.app.state, "models", None)
    return live


def live_model(live: Annotated[LiveClassifier | None, Depends(optional_live_model)]) -> LiveClassifier:
    if live is None:
        raise Conflict("this server serves a fixed model folder (TRIAGE_MODEL_DIR); the registry is off")
    return live


LiveDep = Annotated[LiveClassifier, Depends(live_model)]
OptionalLiveDep = Annotated[LiveClassifier | None, Depends(optional_live_model)]


class PromoteRequest(BaseModel):
    version: str = Field(max_length=100)
    force: bool = False
    reason: str | None = Field(default=None, max_length=2000)


class RollbackRequest(BaseModel):
    reason: str | None = Field(default=None, max_length=2000)


class TrainRequest(BaseModel):
    version: str = Field(max_length=64)
    config: str = Field(default="default", max_length=64)
    include_reviews: bool = True


class TrainingJobPublic(BaseModel):
    id: str
    status: str
    stage: str | None
    name: str
    version: str
    include_reviews: bool
    result: dict[str, Any]
    error: str | None
    worker: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class ToLabelItem(BaseModel):
    report: ReportSummary
    priority: float
    near_threshold: list[str]
    disagreements: list[str]


def _job_public(job: TrainingJob) -> TrainingJobPublic:
    return TrainingJobPublic.model_validate(job, from_attributes=True)


@router.get("/models")
def models(live: LiveDep, _actor: ReviewerActor) -> dict[str, Any]:
    """The registry: versions with their figures and gate, the current and the served version, history."""
    return model_admin.models_overview(live)


@router.post("/models/reload")
def reload(live: LiveDep, _actor: AdminActor) -> dict[str, Any]:
    """Serve the version CURRENT names now (servers also notice a change within seconds by themselves)."""
    info = live.reload()
    return {"name": info.name, "version": info.version}


@router.post("/models/promote")
def promote(body: PromoteRequest, db: DbDep, live: LiveDep, actor: AdminActor) -> dict[str, Any]:
    """Make a version current if its gate passes against the current one (or forced, with a reason)."""
    return model_admin.promote_version(
        db, live, actor=actor, version=body.version, force=body.force, reason=body.reason
    )


@router.post("/models/rollback")
def rollback(body: RollbackRequest, db: DbDep, live: LiveDep, actor: AdminActor) -> dict[str, Any]:
    return model_admin.rollback_version(db, live, actor=actor, reason=body.reason)


@router.post("/models/train", status_code=202)
def train(
    body: TrainRequest, request: Request, db: DbDep, settings: SettingsDep, actor: AdminActor
) -> TrainingJobPublic:
    """Queue a training run (config from training/configs/, plus the organisation's reviewed labels)."""
    job = model_admin.create_training_job(
        db,
        settings,
        actor=actor,
        config_name=body.config,
        version=body.version,
        include_reviews=body.include_reviews,
    )
    request.app.state.training_runner.submit("train_model", job.id)
    return _job_public(job)


@router.get("/models/train/{job_id}")
def training_job(job_id: str, db: DbDep, _actor: AdminActor) -> TrainingJobPublic:
    return _job_public(model_admin.get_training_job(db, job_id))


@router.get("/to-label")
def to_label(
    db: DbDep, state: StateDep, actor: ReviewerActor, limit: Annotated[int, Query(ge=1, le=200)] = 20
) -> list[ToLabelItem]:
    """Open, unreviewed reports whose labels would teach the next model most."""
    ranked = model_admin.to_label(db, state.classifier, org_id=actor.user.org_id, limit=limit)
    summaries = report_summaries(db, [report for report, _ in ranked], actor.user)
    return [
        ToLabelItem(
            report=summary,
            priority=round(score.priority, 4),
            near_threshold=score.near_threshold,
            disagreements=score.disagreements,
        )
        for summary, (_, score) in zip(summaries, ranked, strict=True)
    ]


@router.get("/stats/drift")
def drift(
    db: DbDep,
    live: OptionalLiveDep,
    actor: ReviewerActor,
    bucket: Literal["day", "week", "month"] = "week",
    days: Annotated[int, Query(ge=1, le=3660)] = 90,
) -> dict[str, Any]:
    """Label and severity shares in production per period, next to the served model's training data."""
    since = datetime.now(UTC) - timedelta(days=days)
    return model_admin.drift(db, live, org_id=actor.user.org_id, since=since, bucket=bucket)
