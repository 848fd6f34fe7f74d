"""Service functions for the model lifecycle: what is served, promotion, rollback, training, to-label, drift."""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from typing import Any, Final

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from triage.config import Settings
from triage.engine.registry import Registry
from triage.errors import Conflict, InvalidInput, NotFound
from triage.jobs.training import configs_dir
from triage.ports import Classifier
from triage.service.live_model import LiveClassifier
from triage.store.audit import Actor, record
from triage.store.drift import production_drift, training_distribution
from triage.store.models import Report, Review, TrainingJob
from triage.store.queue import OPEN_STATUSES

VERSION: Final = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]{0,63}$")
CONFIG_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
TO_LABEL_POOL: Final = 500


def unwrap_engine(classifier: Classifier | None) -> Any:
    """The `triage.engine.Engine` behind wrappers (timing, live swapping), or None for a stub."""
    from triage.engine import Engine

    seen = classifier
    for _ in range(5):
        if isinstance(seen, Engine):
            return seen
        seen = seen.engine if isinstance(seen, LiveClassifier) else getattr(seen, "inner", None)
    return None


def models_overview(live: LiveClassifier) -> dict[str, Any]:
    from training.promotion import model_summary

    registry = live.registry
    return {
        "name": registry.name,
        "current": registry.current(),
        "serving": live.model_info.version,
        "last_error": live.last_error,
        "versions": [
            {"version": version, **model_summary(registry.folder(version))} for version in registry.versions()
        ],
        "history": registry.history()[-20:],
    }


def promote_version(
    db: Session, live: LiveClassifier, *, actor: Actor, version: str, force: bool, reason: str | None
) -> dict[str, Any]:
    from training.promotion import promote

    entry = promote(live.registry, version, actor=actor.user.email, force=force, reason=reason)
    record(db, actor=actor, action="model_promote", org_id=None, detail=_audit(live.registry, entry))
    db.commit()
    live.reload()
    return entry


def rollback_version(
    db: Session, live: LiveClassifier, *, actor: Actor, reason: str | None
) -> dict[str, Any]:
    entry = live.registry.rollback(actor=actor.user.email, reason=reason)
    record(db, actor=actor, action="model_rollback", org_id=None, detail=_audit(live.registry, entry))
    db.commit()
    live.reload()
    return entry


def _audit(registry: Registry, entry: dict[str, Any]) -> dict[str, Any]:
    keys = ("version", "previous", "forced", "reason", "gate")
    return {"model": registry.name, **{key: entry.get(key) for key in keys}}


def create_training_job(
    db: Session,
    settings: Settings,
    *,
    actor: Actor,
    config_name: str,
    version: str,
    include_reviews: bool,
) -> TrainingJob:
    path = configs_dir(settings) / f"{config_name}.toml"
    if not CONFIG_NAME.match(config_name) or not path.is_file():
        raise InvalidInput(f"no training config {config_name!r}")
    if not VERSION.match(version):
        raise InvalidInput("a version is letters, digits and . _ + -")
    table = tomllib.loads(path.read_text(encoding="utf-8"))
    model = table.setdefault("model", {})
    model.pop("output", None)
    model["version"] = version
    name = str(model.get("name", settings.model_name))
    if not VERSION.match(name):
        raise InvalidInput(f"model name {name!r} is not allowed")
    from triage.engine.registry import MODELS_DIR

    if Registry(settings.models_dir or MODELS_DIR, name).folder(version).exists():
        raise Conflict(f"{name} {version} exists already; choose another version")
    busy = db.scalar(
        select(TrainingJob.id).where(
            TrainingJob.status.in_(("queued", "running")),
            TrainingJob.name == name,
            TrainingJob.version == version,
        )
    )
    if busy:
        raise Conflict(f"{name} {version} is being trained by job {busy}")
    job = TrainingJob(
        user_id=actor.user.id,
        org_id=actor.user.org_id,
        name=name,
        version=version,
        config=table,
        include_reviews=include_reviews,
    )
    db.add(job)
    db.flush()
    detail = {"job": job.id, "config": config_name, "version": version, "include_reviews": include_reviews}
    record(db, actor=actor, action="model_train", org_id=actor.user.org_id, detail=detail)
    db.commit()
    return job


def get_training_job(db: Session, job_id: str) -> TrainingJob:
    job = db.get(TrainingJob, job_id) if len(job_id) <= 64 else None
    if job is None:
        raise NotFound("no such training job")
    return job


def to_label(
    db: Session, classifier: Classifier | None, *, org_id: str, limit: int
) -> list[tuple[Report, Any]]:
    """Open, unreviewed reports where the current model is least sure or disagrees with the rules."""
    from triage.engine.uncertainty import assess_uncertainty

    engine = unwrap_engine(classifier)
    if engine is None:
        raise Conflict("the to-label queue needs the engine (not available in this server)")
    reports = list(
        db.scalars(
            select(Report)
            .where(
                Report.org_id == org_id,
                Report.status.in_(OPEN_STATUSES),
                Report.duplicate_of_id.is_(None),
                Report.purged_at.is_(None),
                ~exists().where(Review.report_id == Report.id),
            )
            .order_by(Report.created_at.desc())
            .limit(TO_LABEL_POOL)
        )
    )
    scores = assess_uncertainty(engine, [report.text for report in reports])
    ranked = sorted(zip(reports, scores, strict=True), key=lambda pair: (-pair[1].priority, pair[0].id))
    return [pair for pair in ranked[:limit] if pair[1].priority > 0]


def drift(
    db: Session, live: LiveClassifier | None, *, org_id: str, since: datetime, bucket: str
) -> dict[str, Any]:
    training = None
    version = None
    if live is not None:
        version = live.version
        data_file = live.registry.folder(live.version) / "data.json"
        if data_file.is_file():
            training = training_distribution(json.loads(data_file.read_text(encoding="utf-8")))
    periods = production_drift(db, org_id=org_id, since=since, bucket=bucket, training=training)
    return {"model": version, "training": training, "bucket": bucket, "periods": periods}
