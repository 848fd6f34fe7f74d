"""The review queue: filters, highest priority first then oldest, keyset (cursor) pagination.

The priority (triage.store.priority) is the severity band, raised within it for campaigns and repeat
senders; the index ix_reports_queue (org_id, status, priority DESC, created_at, id) serves the order,
and the partial index ix_reports_open_queue the default queue (open reports, duplicates left out).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session

from triage.engine.labels import SEVERITIES
from triage.errors import InvalidInput
from triage.store import campaigns
from triage.store.authors import author_key
from triage.store.deadlines import POLICE_DECISIONS, POLICE_SEVERITIES, police_cutoff
from triage.store.models import FollowUp, Report, ReportFlag
from triage.store.types import utcnow

OPEN_STATUSES = ("new", "in_review")
# A report waits for a police decision until it is dismissed or closed, also once confirmed.
AWAITING_POLICE_STATUSES = ("new", "in_review", "confirmed", "reported")


@dataclass(slots=True)
class QueueFilter:
    status: list[str] | None = None
    min_severity: str | None = None
    label: str | None = None
    platform: str | None = None
    reporter_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    campaign: str | None = None  # any report of a campaign: all its members, duplicates included
    author: str | None = None  # an author handle, compared as author_key (any platform)
    include_duplicates: bool = False
    police_overdue: bool = False  # high/critical without a police decision after two working days
    now: datetime | None = None


def encode_cursor(report: Report) -> str:
    raw = json.dumps([report.priority, report.created_at.isoformat(), report.id])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[float, datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, created, report_id = json.loads(raw)
        return float(score), datetime.fromisoformat(created), str(report_id)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("invalid cursor") from exc


def _status_in(statuses: Sequence[str]) -> ColumnElement[bool]:
    """`status IN ('new', 'in_review')` with the values written into the SQL, not bound: SQLite uses
    the partial index ix_reports_open_queue only when the query repeats the index's condition with the
    same literals (PostgreSQL would also prove it from bound values)."""
    return Report.status.in_(bindparam("statuses", list(statuses), expanding=True, literal_execute=True))


def queue_page(
    session: Session, *, org_id: str, filters: QueueFilter, cursor: str | None = None, limit: int = 50
) -> tuple[list[Report], str | None]:
    query = select(Report).where(Report.org_id == org_id)
    default_statuses = AWAITING_POLICE_STATUSES if filters.police_overdue else OPEN_STATUSES
    query = query.where(_status_in(filters.status or default_statuses))
    if filters.police_overdue:
        query = query.where(
            func.coalesce(Report.reviewed_severity, Report.severity).in_(POLICE_SEVERITIES),
            Report.created_at <= police_cutoff(filters.now or utcnow()),
            ~exists().where(FollowUp.report_id == Report.id, FollowUp.kind.in_(POLICE_DECISIONS)),
        )
    if filters.min_severity:
        if filters.min_severity not in SEVERITIES:
            raise InvalidInput(f"unknown severity {filters.min_severity!r}")
        query = query.where(Report.severity.in_(SEVERITIES[SEVERITIES.index(filters.min_severity) :]))
    if filters.label:
        query = query.where(
            exists().where(ReportFlag.report_id == Report.id, ReportFlag.label == filters.label)
        )
    if filters.platform:
        query = query.where(Report.platform == filters.platform)
    if filters.reporter_id:
        query = query.where(Report.reporter_id == filters.reporter_id)
    if filters.since:
        query = query.where(Report.created_at >= filters.since)
    if filters.until:
        query = query.where(Report.created_at < filters.until)
    if filters.author:
        query = query.where(Report.author_key == (author_key(filters.author) or ""))
    if filters.campaign:
        campaign_id = campaigns.resolve(session, org_id, filters.campaign)
        query = query.where(or_(Report.campaign_id == campaign_id, Report.id == campaign_id))
    elif not filters.include_duplicates:
        query = query.where(Report.duplicate_of_id.is_(None))
    if cursor:
        score, created, last_id = decode_cursor(cursor)
        query = query.where(
            or_(
                Report.priority < score,
                and_(Report.priority == score, Report.created_at > created),
                and_(Report.priority == score, Report.created_at == created, Report.id > last_id),
            )
        )
    query = query.order_by(Report.priority.desc(), Report.created_at, Report.id).limit(limit + 1)
    rows = list(session.scalars(query))
    next_cursor = encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return rows[:limit], next_cursor
