"""Campaigns: near-duplicate messages within one organisation, grouped across reporters.

A campaign is named by its first report (`campaign_id`); every member, the first included, carries
that id once a second member arrives. Members join at intake (triage.store.linking): an identical
text joins the campaign of its original; a text of MIN_WORDS words or more is looked up by the LSH
band keys of its signature (triage.store.signature) and joins the campaign of the candidate whose
5-gram Jaccard similarity is highest and at least THRESHOLD. Campaigns are never merged: a message
close to members of two campaigns joins the one it is closest to.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Final

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from triage.store.models import CampaignBand, Report, User
from triage.store.signature import THRESHOLD, Signature, band_keys, jaccard, signature
from triage.store.visibility import visible_to

CANDIDATES: Final = 10  # the reports sharing the most band keys are checked with the exact Jaccard


@dataclass(frozen=True, slots=True)
class Match:
    report_id: str
    campaign_id: str  # the campaign it belongs to, or its own id when it was alone so far
    similarity: float


def find_match(
    session: Session, *, org_id: str, sig: Signature, keys: list[int], exclude: str
) -> Match | None:
    """The closest earlier report of the organisation at or above THRESHOLD, if any."""
    hits = func.count(CampaignBand.key).label("hits")
    candidates = [
        report_id
        for report_id, _ in session.execute(
            select(CampaignBand.report_id, hits)
            .where(CampaignBand.key.in_(keys), CampaignBand.report_id != exclude)
            .group_by(CampaignBand.report_id)
            .order_by(hits.desc(), CampaignBand.report_id)
            .limit(CANDIDATES)
        )
    ]
    if not candidates:
        return None
    best: Match | None = None
    rows = session.execute(
        select(Report.id, Report.campaign_id, Report.text, Report.created_at)
        .where(Report.id.in_(candidates), Report.org_id == org_id, Report.purged_at.is_(None))
        .order_by(Report.created_at, Report.id)
    )
    for report_id, campaign_id, text, _ in rows:
        other = signature(text)
        similarity = jaccard(sig, other) if other is not None else 0.0
        if similarity >= THRESHOLD and (best is None or similarity > best.similarity):
            best = Match(report_id, campaign_id or report_id, similarity)
    return best


def store_bands(session: Session, report_id: str, keys: list[int]) -> None:
    rows = [{"key": key, "report_id": report_id} for key in dict.fromkeys(keys)]
    session.execute(insert(CampaignBand), rows)


def forget(session: Session, report: Report) -> None:
    """Delete the band keys of a report whose text is about to be deleted (retention, erasure)."""
    sig = signature(report.text)
    if sig is None:
        return
    keys = band_keys(sig, report.org_id)
    session.execute(
        delete(CampaignBand)
        .where(CampaignBand.report_id == report.id, CampaignBand.key.in_(keys))
        .execution_options(synchronize_session=False)
    )


def count_members(session: Session, campaign_id: str) -> int:
    return session.scalar(select(func.count(Report.id)).where(Report.campaign_id == campaign_id)) or 0


def campaign_sizes(session: Session, campaign_ids: Collection[str]) -> dict[str, int]:
    """The number of reports of each campaign, in one query."""
    if not campaign_ids:
        return {}
    rows = session.execute(
        select(Report.campaign_id, func.count(Report.id))
        .where(Report.campaign_id.in_(sorted(campaign_ids)))
        .group_by(Report.campaign_id)
    )
    return {campaign_id: count for campaign_id, count in rows if campaign_id is not None}


def resolve(session: Session, org_id: str, report_id: str) -> str:
    """The campaign a report belongs to, given any member's id (itself when it has none)."""
    campaign_id = session.scalar(
        select(Report.campaign_id).where(Report.id == report_id, Report.org_id == org_id)
    )
    return campaign_id or report_id


def members(session: Session, viewer: User, report: Report, limit: int = 50) -> list[Report]:
    """The campaign's reports that `viewer` may see, oldest first (for the report page)."""
    if not report.campaign_id or report.org_id != viewer.org_id:
        return []
    return list(
        session.scalars(
            select(Report)
            .where(Report.campaign_id == report.campaign_id, *visible_to(viewer))
            .order_by(Report.created_at, Report.id)
            .limit(limit)
        )
    )
