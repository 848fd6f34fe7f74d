"""Linking a new report to what came before, at intake: the same text (a duplicate), a near-duplicate
(a campaign) and the same sender (author history); then the queue priority of everything that grew.

Runs inside the intake transaction, after the report is flushed. On PostgreSQL the organisation's
linking is serialised with an advisory lock, so that two processes forwarding the same campaign at
once see each other's reports and counts stay exact; on SQLite write transactions are serial anyway.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from triage.store import authors, campaigns, priority
from triage.store.locks import serialise
from triage.store.models import CampaignBand, Report
from triage.store.signature import band_keys, signature


def _original(session: Session, report: Report) -> tuple[str, str | None] | None:
    """The first report of the organisation with exactly this text, and its campaign."""
    if not report.text.strip():
        return None
    row = session.execute(
        select(Report.id, Report.campaign_id)
        .where(
            Report.org_id == report.org_id,
            Report.text_sha256 == report.text_sha256,
            Report.duplicate_of_id.is_(None),
            Report.id != report.id,
        )
        .order_by(Report.created_at, Report.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def _join(session: Session, report: Report, matched: str, campaign_id: str) -> int:
    """Put `report` in the campaign of `matched`; answers the campaign's new size, after recomputing
    the priority of its reports when the size reached the next step of the bonus."""
    if matched == campaign_id:  # the first report of a campaign that starts now
        session.execute(
            update(Report)
            .where(Report.id == matched, Report.campaign_id.is_(None))
            .values(campaign_id=campaign_id)
            .execution_options(synchronize_session=False)
        )
    report.campaign_id = campaign_id
    session.flush()
    size = campaigns.count_members(session, campaign_id)
    if priority.campaign_bonus(size) != priority.campaign_bonus(size - 1):
        priority.refresh_campaign(session, campaign_id, size)
    return size


def link_report(session: Session, report: Report) -> dict[str, Any]:
    """Set duplicate_of_id, campaign_id and author_key of a new (flushed) report, update the counts and
    priorities that change, and answer what to record in the audit event."""
    session.flush()  # flags and attachments first: the lock below is held until the commit
    serialise(session, f"links:{report.org_id}")
    detail: dict[str, Any] = {}
    joined: tuple[str, str] | None = None  # (the report matched, its campaign)
    original = _original(session, report)
    if original is not None:
        report.duplicate_of_id = original[0]
        detail["duplicate_of"] = original[0]
        joined = (original[0], original[1] or original[0])
    else:
        sig = signature(report.text)
        if sig is not None:
            keys = band_keys(sig, report.org_id)
            match = campaigns.find_match(session, org_id=report.org_id, sig=sig, keys=keys, exclude=report.id)
            campaigns.store_bands(session, report.id, keys)
            if match is not None:
                joined = (match.report_id, match.campaign_id)
                detail["similar_to"] = match.report_id
                detail["similarity"] = round(match.similarity, 3)
    size = count = 1
    if joined is not None:
        size = _join(session, report, *joined)
        detail["campaign"] = joined[1]
    if report.author_key:
        count = authors.count_reports(session, report)
        if priority.author_bonus(count) != priority.author_bonus(count - 1):
            priority.refresh_author(session, authors.same_author(report), count)
    report.priority = priority.priority(report.severity, report.severity_score, size, count)
    return detail


def index_existing(session: Session, *, org_id: str | None = None, batch: int = 500) -> int:
    """Band keys for reports stored before campaigns existed (migration 0004), in the order they
    arrived; each joins the campaign of an earlier near-duplicate as a new report would (one already in
    a campaign keeps it). Reports already indexed are skipped, so it may run again. Commits per batch;
    answers how many reports it indexed."""
    indexed = 0
    after: tuple[datetime, str] | None = None
    while True:
        query = select(Report).where(Report.duplicate_of_id.is_(None), Report.purged_at.is_(None))
        if org_id is not None:
            query = query.where(Report.org_id == org_id)
        if after is not None:
            query = query.where(
                or_(Report.created_at > after[0], and_(Report.created_at == after[0], Report.id > after[1]))
            )
        rows = list(session.scalars(query.order_by(Report.created_at, Report.id).limit(batch)))
        if not rows:
            return indexed
        for report in rows:
            sig = signature(report.text)
            if sig is None:
                continue
            keys = band_keys(sig, report.org_id)
            if session.get(CampaignBand, (keys[0], report.id)) is not None:
                continue
            serialise(session, f"links:{report.org_id}")
            match = campaigns.find_match(session, org_id=report.org_id, sig=sig, keys=keys, exclude=report.id)
            campaigns.store_bands(session, report.id, keys)
            if match is not None and report.campaign_id is None:
                _join(session, report, match.report_id, match.campaign_id)
                priority.refresh_all(session, Report.id == report.id)
                session.expire_all()  # the UPDATEs may have changed other reports of this batch
            indexed += 1
        after = (rows[-1].created_at, rows[-1].id)
        session.commit()
