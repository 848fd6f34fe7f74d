"""After a crash or SIGKILL: jobs left `queued` or `running` are resumed, or failed after repeated tries.

Import batches commit with their progress counter, so a resumed job continues behind the last committed
batch and never imports a row twice. A job interrupted MAX_RESTARTS times is marked failed with a message.
"""

from __future__ import annotations

import logging
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from triage.jobs.imports import ImportReports
from triage.jobs.runner import Runner
from triage.store.models import ImportJob
from triage.store.types import utcnow

log = logging.getLogger(__name__)
MAX_RESTARTS: Final = 3


def resume_interrupted(sessions: sessionmaker[Session], runner: Runner) -> list[str]:
    """Resubmits interrupted import jobs; returns their ids."""
    resumed: list[str] = []
    with sessions() as session:
        jobs = session.scalars(select(ImportJob).where(ImportJob.status.in_(("queued", "running")))).all()
        for job in jobs:
            restarts = sum(1 for e in job.errors if isinstance(e, dict) and e.get("restart"))
            where = f"after {job.processed} of {job.total} rows"
            if restarts >= MAX_RESTARTS:
                job.status = "failed"
                job.finished_at = utcnow()
                message = (
                    f"interrupted by {restarts} server restarts {where}; stopped. The rows before were "
                    "imported; import the remaining rows again"
                )
                job.errors = [*job.errors, {"line": None, "error": message}]
                log.warning("import %s failed after %d restarts", job.id, restarts)
                continue
            note = f"interrupted by a server restart {where}; resumed from there"
            job.errors = [*job.errors, {"line": None, "error": note, "restart": True}]
            resumed.append(job.id)
        session.commit()
    for job_id in resumed:
        log.info("resuming import %s", job_id)
        runner.submit(ImportReports.name, job_id)
    return resumed
