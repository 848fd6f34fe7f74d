"""Linking a new report to what came before, at intake: the same text (a duplicate), a near-duplicate
(a campaign) and the same sender (author history); then the queue priority of everything that grew.

Runs inside the intake transaction: `link_report` reads before the new report is inserted (so the
report is inserted once, with its links and priority), `finish_links` writes what depends on the
inserted row. The text's signature is computed before the transaction, outside every lock, and the
candidates' signatures come from an in-process cache (triage.store.campaigns.signatures). On
PostgreSQL the organisation's linking is serialised with an advisory lock, so that two processes
forwarding the same campaign at once see each other's reports and counts stay exact; on SQLite write
transactions are serial anyway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.orm import Session

from triage.store import authors, campaigns, priority
from triage.store.locks import serialise
from triage.store.models import CampaignBand, Report
from triage.store.signature import Signature, band_keys, signature

_ORIGINAL: Final = (
    select(Report.id, Report.campaign_id)
    .where(
        Report.org_id == bindparam("org"),
        Report.text_sha256 == bindparam("digest"),
        Report.duplicate_of_id.is_(None),
        Report.id != bindparam("exclude"),
    )
    .order_by(Report.created_at, Report.id)
    .limit(1)
)
_TAG_FIRST: Final = (
    update(Report)
    .where(Report.id == bindparam("first"), Report.campaign_id.is_(None))
    .values(campaign_id=bindparam("campaign"))
    .execution_options(synchronize_session=False)
)


def _original(session: Session, report: Report) -> tuple[str, str | None] | None:
    """The first report of the organisation with exactly this text, and its campaign."""
    if not report.text.strip():
        return None
    row = session.execute(
        _ORIGINAL, {"org": report.org_id, "digest": report.text_sha256, "exclude": report.id}
    ).first()
    return (row[0], row[1]) if row else None


def _join(session: Session, report: Report, matched: str, campaign_id: str) -> int:
    """Put the flushed `report` in the campaign of `matched`; answers the campaign's new size, after
    recomputing the priority of its reports when the size reached the next step of the bonus. (Used
    by `index_existing`; a new report gets its links before it is inserted, see `link_report`.)"""
    if matched == campaign_id:  # the first report of a campaign that starts now
        session.execute(_TAG_FIRST, {"first": matched, "campaign": campaign_id})
    report.campaign_id = campaign_id
    session.flush()
    size = campaigns.count_members(session, campaign_id)
    if priority.campaign_bonus(size) != priority.campaign_bonus(size - 1):
        priority.refresh_campaign(session, campaign_id, size)
    return size


@dataclass(slots=True)
class Links:
    """What `link_report` found for a new report, and what `finish_links` still has to write once the
    report is inserted."""

    detail: dict[str, Any] = field(default_factory=dict)  # for the audit event
    keys: list[int] = field(default_factory=list)  # the band keys to store
    tag_first: str | None = None  # the first report of a campaign that starts now
    campaign_size: int = 1
    author_count: int = 1


def link_report(session: Session, report: Report, sig: Signature | None) -> Links:
    """Set duplicate_of_id, campaign_id and priority of a new report that is not inserted yet, from
    the reports before it; `sig` is its text's signature, computed before the transaction began (it
    needs no database). Takes the organisation's linking lock (on SQLite the first query takes the
    write lock), held until the commit; the report is inserted next, then `finish_links`."""
    serialise(session, f"links:{report.org_id}")
    links = Links()
    joined: tuple[str, str | None] | None = None  # (the report matched, its campaign if it has one)
    original = _original(session, report)
    if original is not None:
        report.duplicate_of_id = original[0]
        links.detail["duplicate_of"] = original[0]
        joined = original
    elif sig is not None:
        links.keys = band_keys(sig, report.org_id)
        match = campaigns.find_match(
            session, org_id=report.org_id, sig=sig, keys=links.keys, exclude=report.id
        )
        if match is not None:
            joined = (match.report_id, match.campaign_id)
            links.detail["similar_to"] = match.report_id
            links.detail["similarity"] = round(match.similarity, 3)
    if joined is not None:
        matched, campaign_id = joined
        if campaign_id is None:  # the matched report was alone so far: its campaign starts now
            report.campaign_id = links.tag_first = matched
            links.campaign_size = 2
        else:
            report.campaign_id = campaign_id
            links.campaign_size = campaigns.count_members(session, campaign_id) + 1
        links.detail["campaign"] = report.campaign_id
    if report.author_key:
        links.author_count = authors.count_reports(session, report) + 1
    report.priority = priority.priority(
        report.severity, report.severity_score, links.campaign_size, links.author_count
    )
    return links


def finish_links(session: Session, report: Report, links: Links) -> None:
    """After the new report is inserted: its band keys, the campaign's first report, and the priority
    of every report of its campaign or sender whose count reached the next step of the bonus."""
    if links.keys:
        campaigns.store_bands(session, report.id, links.keys)
    if links.tag_first is not None:
        session.execute(_TAG_FIRST, {"first": links.tag_first, "campaign": links.tag_first})
    size, count = links.campaign_size, links.author_count
    if report.campaign_id and priority.campaign_bonus(size) != priority.campaign_bonus(size - 1):
        priority.refresh_campaign(session, report.campaign_id, size)
    if report.author_key and priority.author_bonus(count) != priority.author_bonus(count - 1):
        priority.refresh_author(session, report.org_id, report.author_key, report.platform, count)


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
                _join(session, report, match.report_id, match.campaign_id or match.report_id)
                priority.refresh_all(session, Report.id == report.id)
                session.expire_all()  # the UPDATEs may have changed other reports of this batch
            indexed += 1
        after = (rows[-1].created_at, rows[-1].id)
        session.commit()
