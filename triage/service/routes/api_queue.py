from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query

from triage.engine.labels import Severity
from triage.service.deps import DbDep, ReviewerActor
from triage.service.schemas import ReportPage, Status
from triage.service.views import report_summaries
from triage.store.queue import QueueFilter, queue_page

router = APIRouter(prefix="/api/v1", tags=["queue"])


@router.get("/queue")
def queue(
    db: DbDep,
    actor: ReviewerActor,
    status: Annotated[list[Status] | None, Query()] = None,
    min_severity: Severity | None = None,
    label: str | None = None,
    platform: str | None = None,
    reporter: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    campaign: str | None = None,
    author: str | None = None,
    police_overdue: Annotated[
        bool, Query(description="Only high/critical reports without a police decision after 2 working days.")
    ] = False,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ReportPage:
    """The organisation's open reports by priority (the severity band, raised within it for campaigns
    and repeat senders), then oldest; `next_cursor` pages on. `campaign`: any report of a campaign
    (all its members, duplicates included); `author`: a handle (with or without @, any case)."""
    filters = QueueFilter(
        status=list(status) if status else None,
        min_severity=min_severity,
        label=label,
        platform=platform,
        reporter_id=reporter,
        since=since,
        until=until,
        campaign=campaign,
        author=author,
        police_overdue=police_overdue,
    )
    rows, next_cursor = queue_page(db, org_id=actor.user.org_id, filters=filters, cursor=cursor, limit=limit)
    return ReportPage(items=report_summaries(db, rows, actor.user), next_cursor=next_cursor)
