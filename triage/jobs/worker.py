"""Where long jobs (training) run: a separate process on this machine, or a worker on an RQ queue.

- `ProcessRunner` (the default): each job in a fresh process (spawned), so a CPU-bound training run
  never holds the server's interpreter; the API keeps answering.
- `RedisRunner` (Settings.queue_url = redis://...): the job goes to an RQ queue on Redis, and any
  number of `triage worker` processes, on any machine with the same settings (database, models
  folder on shared storage), take jobs from it.

Both run `execute(name, job_id)`, which builds the job's context from the settings.
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from triage.config import Settings, get_settings
from triage.engine.registry import MODELS_DIR, Registry
from triage.engine.verdict import ModelInfo, Verdict
from triage.jobs.base import Job, JobContext
from triage.ports import Classifier

log = logging.getLogger(__name__)


class LazyClassifier:
    """The current model, loaded only when a job first classifies (training jobs never do)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._engine: Classifier | None = None

    def _get(self) -> Classifier:
        if self._engine is None:
            from triage.engine import Engine

            folder = (
                self.settings.model_dir
                or Registry(self.settings.models_dir or MODELS_DIR, self.settings.model_name).current_dir()
            )
            self._engine = Engine.load(folder)
        return self._engine

    @property
    def model_info(self) -> ModelInfo:
        return self._get().model_info

    def classify(self, text: str, recipient: str | None = None) -> Verdict:
        return self._get().classify(text, recipient=recipient)

    def classify_many(self, texts: Any, recipients: Any = None) -> list[Verdict]:
        return self._get().classify_many(texts, recipients)


def job_table(settings: Settings) -> dict[str, Job]:
    from triage.jobs.imports import ImportReports
    from triage.jobs.training import TrainModel

    return {TrainModel.name: TrainModel(settings), ImportReports.name: ImportReports()}


def execute(name: str, job_id: str, settings_data: dict[str, Any] | None = None) -> None:
    """Run one job here, with a context built from the settings (the environment by default)."""
    from triage.store.db import make_db_engine, make_session_factory

    settings = Settings(**settings_data) if settings_data is not None else get_settings()
    db = make_db_engine(settings.effective_database_url)
    try:
        context = JobContext(sessions=make_session_factory(db), classifier=LazyClassifier(settings))
        job_table(settings)[name].run(context, job_id)
    finally:
        db.dispose()


class ProcessRunner:
    def __init__(self, settings: Settings, workers: int = 1) -> None:
        self.settings_data = settings.model_dump(mode="json")
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        self.futures: dict[str, Future[None]] = {}

    def submit(self, name: str, job_id: str) -> None:
        future = self._pool.submit(execute, name, job_id, self.settings_data)
        future.add_done_callback(_log_failure)
        self.futures[job_id] = future

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)


def _log_failure(future: Future[None]) -> None:
    error = future.exception()
    if error is not None:  # the job recorded it in its row
        log.error("background job failed: %s", error)


class RedisRunner:
    def __init__(self, url: str, queue_name: str, timeout_seconds: int) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(url)
        self.queue = Queue(queue_name, connection=self.connection)
        self.timeout_seconds = timeout_seconds

    def submit(self, name: str, job_id: str) -> None:
        self.queue.enqueue(
            execute,
            name,
            job_id,
            job_id=f"{name}-{job_id}",
            job_timeout=self.timeout_seconds,
            result_ttl=24 * 3600,
            failure_ttl=7 * 24 * 3600,
        )

    def shutdown(self) -> None:
        self.connection.close()


def training_runner(settings: Settings) -> ProcessRunner | RedisRunner:
    if settings.queue_url:
        return RedisRunner(settings.queue_url, settings.queue_name, settings.training_job_timeout_seconds)
    return ProcessRunner(settings)


def work(settings: Settings, burst: bool = False) -> None:
    """`triage worker`: take jobs from the RQ queue until stopped (or, with burst, until it is empty)."""
    from redis import Redis
    from rq import Queue, Worker

    if not settings.queue_url:
        raise SystemExit("set TRIAGE_QUEUE_URL (redis://host:6379/0) to run a worker")
    connection = Redis.from_url(settings.queue_url)
    worker = Worker([Queue(settings.queue_name, connection=connection)], connection=connection)
    worker.work(burst=burst, with_scheduler=False)
