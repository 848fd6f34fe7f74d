"""Train a model in the background: export the reviewed labels, run the training stages, record the result.

The job row (TrainingJob) holds the training TOML as a table; relative paths in it are relative to
the configs folder (Settings.training_configs_dir, default training/configs/). The model goes to the registry (Settings.models_dir) as
`<name>/<version>/`; promoting it stays a separate, gated step.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import Any, Final

from triage.config import Settings
from triage.engine.registry import MODELS_DIR, REPOSITORY
from triage.jobs.base import JobContext
from triage.store.models import TrainingJob
from triage.store.types import utcnow

log = logging.getLogger(__name__)
CONFIGS_DIR: Final = REPOSITORY / "training" / "configs"
REVIEW_REPEAT: Final = 3


def configs_dir(settings: Settings) -> Path:
    return settings.training_configs_dir or CONFIGS_DIR


class TrainModel:
    name = "train_model"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def run(self, context: JobContext, job_id: str) -> None:
        with context.sessions() as session:
            job = session.get(TrainingJob, job_id)
            if job is None or job.status not in ("queued", "running"):
                return
            job.status, job.started_at, job.worker = "running", utcnow(), socket.gethostname()
            table, org_id, include_reviews = dict(job.config), job.org_id, job.include_reviews
            session.commit()
        try:
            result = self._train(context, job_id, table, org_id, include_reviews)
        except Exception as exc:
            log.exception("training job %s failed", job_id)
            self._finish(context, job_id, "failed", error=f"{type(exc).__name__}: {exc}")
            raise
        self._finish(context, job_id, "done", result=result)

    def _train(
        self,
        context: JobContext,
        job_id: str,
        table: dict[str, Any],
        org_id: str | None,
        include_reviews: bool,
    ) -> dict[str, Any]:
        from training.config import DataSource, TrainConfig
        from training.gates import read_gate
        from training.train import train

        config = TrainConfig.from_dict(table, configs_dir(self.settings))
        config.models_dir = self.settings.models_dir or MODELS_DIR
        config.output = None
        config.progress = False
        if include_reviews:
            path = self._export_reviews(context, job_id, org_id)
            config.sources.append(DataSource(path, "reviews", REVIEW_REPEAT))

        def on_stage(stage: str) -> None:
            with context.sessions() as session:
                job = session.get(TrainingJob, job_id)
                if job is not None:
                    job.stage = stage
                    session.commit()

        folder = train(config, on_stage=on_stage)
        gate = read_gate(folder) or {}
        return {
            "folder": str(folder),
            "gate": {"passed": gate.get("passed"), "failed": gate.get("failed", [])},
        }

    def _export_reviews(self, context: JobContext, job_id: str, org_id: str | None) -> Path:
        from triage.store.label_export import export_reviewed

        path = self.settings.data_dir / "exports" / f"reviews-{job_id}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with context.sessions() as session, path.open("w", encoding="utf-8") as stream:
            export_reviewed(session, stream, org_id=org_id)
        return path

    def _finish(
        self,
        context: JobContext,
        job_id: str,
        status: str,
        result: dict[str, Any] | None = None,
        error: str | None = None,
    ) -> None:
        with context.sessions() as session:
            job = session.get(TrainingJob, job_id)
            if job is None:
                return
            job.status, job.finished_at = status, utcnow()
            job.result = result or {}
            job.error = error
            session.commit()
