"""Runners take a job name and id. The embedded one uses a small thread pool in the server process."""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from triage.jobs.base import Job, JobContext

log = logging.getLogger(__name__)


class Runner(Protocol):
    def submit(self, name: str, job_id: str) -> None: ...

    def shutdown(self) -> None: ...


class EmbeddedRunner:
    def __init__(self, context: JobContext, jobs: dict[str, Job], workers: int = 1) -> None:
        self.context = context
        self.jobs = jobs
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="triage-job")
        self.futures: dict[str, Future[None]] = {}

    def submit(self, name: str, job_id: str) -> None:
        job = self.jobs[name]
        future = self._pool.submit(self._run, job, job_id)
        self.futures[job_id] = future

    def _run(self, job: Job, job_id: str) -> None:
        try:
            job.run(self.context, job_id)
        except Exception:  # a job failure is recorded by the job; never take the server down
            log.exception("job %s %s failed", job.name, job_id)

    def wait(self, job_id: str, timeout: float | None = None) -> None:
        future = self.futures.get(job_id)
        if future is not None:
            future.result(timeout=timeout)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=False)
