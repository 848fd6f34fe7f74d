"""Apply each organisation's retention period (job id: an organisation id, or "all")."""

from __future__ import annotations

import logging

from triage.jobs.base import JobContext
from triage.store.privacy import apply_retention

log = logging.getLogger(__name__)


class ApplyRetention:
    name = "apply_retention"

    def run(self, context: JobContext, job_id: str) -> None:
        with context.sessions() as session:
            result = apply_retention(session, org_id=None if job_id == "all" else job_id)
        if result.total:
            log.info("retention: purged %d reports (%s)", result.total, result.purged)
