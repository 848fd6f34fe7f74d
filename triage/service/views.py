"""Turn stored rows into the public API schemas."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from triage.service.advice import advice_for
from triage.service.schemas import (
    AttachmentPublic,
    AuthorHistory,
    CampaignRef,
    FollowUpPublic,
    PoliceDeadline,
    ReportPublic,
    ReportSummary,
)
from triage.store.authors import History, histories, history_reports
from triage.store.campaigns import campaign_sizes, members
from triage.store.deadlines import POLICE_DECISIONS, POLICE_SEVERITIES, PoliceState, police_state
from triage.store.followups import police_decided
from triage.store.models import Attachment, FollowUp, Report, User
from triage.store.types import utcnow
from triage.store.users import REVIEW_ROLES


def excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def report_police(report: Report, decided: bool, now: datetime | None = None) -> PoliceState:
    return police_state(
        severity=report.severity,
        reviewed_severity=report.reviewed_severity,
        status=report.status,
        created_at=report.created_at,
        decided=decided,
        now=now or utcnow(),
    )


def follow_up_public(step: FollowUp, by: str | None) -> FollowUpPublic:
    return FollowUpPublic(
        id=step.id,
        kind=step.kind,  # type: ignore[arg-type]
        reference=step.reference,
        occurred_at=step.occurred_at,
        note=step.note,
        by=by,
        created_at=step.created_at,
    )


@dataclass(frozen=True, slots=True)
class Links:
    """What a viewer may see of a report's campaign and sender history."""

    campaign: CampaignRef | None = None
    author_history: AuthorHistory | None = None


def _campaigns(db: Session, viewer: User, reports: Sequence[Report]) -> dict[str, CampaignRef]:
    """Campaigns span reporters, so only reviewers and admins see them."""
    if viewer.role not in REVIEW_ROLES:
        return {}
    sizes = campaign_sizes(
        db, {r.campaign_id for r in reports if r.campaign_id and r.org_id == viewer.org_id}
    )
    return {
        r.id: CampaignRef(id=r.campaign_id, size=sizes[r.campaign_id])
        for r in reports
        if r.campaign_id in sizes
    }


def _author(history: History | None) -> AuthorHistory | None:
    return AuthorHistory(count=history.count, report_ids=history.report_ids) if history else None


def report_links(db: Session, viewer: User, reports: Sequence[Report]) -> dict[str, Links]:
    """Campaign and sender history per report, within what `viewer` may see (two queries)."""
    found = histories(db, viewer, reports)
    campaigns = _campaigns(db, viewer, reports)
    return {r.id: Links(campaigns.get(r.id), _author(found.get(r.id))) for r in reports}


def report_public(
    report: Report,
    attachments: list[Attachment] | None = None,
    follow_ups: Sequence[tuple[FollowUp, str | None]] = (),
    links: Links | None = None,
) -> ReportPublic:
    links = links or Links()
    police = report_police(report, any(step.kind in POLICE_DECISIONS for step, _ in follow_ups))
    return ReportPublic(
        id=report.id,
        status=report.status,  # type: ignore[arg-type]
        created_at=report.created_at,
        text=report.text,
        text_sha256=report.text_sha256,
        text_source=report.text_source,
        platform=report.platform,
        url=report.url,
        message_id=report.message_id,
        author_handle=report.author_handle,
        author_name=report.author_name,
        author_url=report.author_url,
        posted_at=report.posted_at,
        received_at=report.received_at,
        recipient=report.recipient,
        recipient_role=report.recipient_role,
        author_details=report.author_details,
        author_lawful_basis=report.author_lawful_basis,
        context=report.context,
        note=report.note,
        verdict=report.verdict,
        severity=report.severity,  # type: ignore[arg-type]
        severity_score=report.severity_score,
        model={"name": report.model_name, "version": report.model_version},
        duplicate_of=report.duplicate_of_id,
        campaign=links.campaign,
        author_history=links.author_history,
        priority=report.priority,
        claimed_by=report.claimed_by_id,
        attachments=[
            AttachmentPublic(
                id=a.id,
                filename=a.filename,
                media_type=a.media_type,
                size=a.size,
                sha256=a.sha256,
                ocr_text=a.ocr_text,
            )
            for a in attachments or []
        ],
        advice=advice_for(report.severity),  # type: ignore[arg-type]
        reviewed_severity=report.reviewed_severity,  # type: ignore[arg-type]
        follow_ups=[follow_up_public(step, by) for step, by in follow_ups],
        police=PoliceDeadline(
            required=police.required, decided=police.decided, due_at=police.due_at, overdue=police.overdue
        ),
        purged_at=report.purged_at,
    )


def report_summary(
    report: Report, police: PoliceState | None = None, links: Links | None = None
) -> ReportSummary:
    links = links or Links()
    return ReportSummary(
        id=report.id,
        status=report.status,  # type: ignore[arg-type]
        created_at=report.created_at,
        platform=report.platform,
        author_handle=report.author_handle,
        severity=report.severity,  # type: ignore[arg-type]
        severity_score=report.severity_score,
        flags=list(report.verdict.get("flags", [])),
        excerpt=excerpt(report.text),
        duplicate_of=report.duplicate_of_id,
        campaign=links.campaign,
        author_history=links.author_history,
        priority=report.priority,
        police_overdue=police.overdue if police else False,
        police_due_at=police.due_at if police else None,
    )


def police_states(
    db: Session, reports: Sequence[Report], now: datetime | None = None
) -> dict[str, PoliceState]:
    """The police deadline of each report, with one query for the decisions of those that need one."""
    now = now or utcnow()
    severe = [r.id for r in reports if (r.reviewed_severity or r.severity) in POLICE_SEVERITIES]
    decided = police_decided(db, severe)
    return {r.id: report_police(r, r.id in decided, now) for r in reports}


def report_summaries(db: Session, reports: Sequence[Report], viewer: User) -> list[ReportSummary]:
    states = police_states(db, reports)
    links = report_links(db, viewer, reports)
    return [report_summary(report, states[report.id], links[report.id]) for report in reports]


@dataclass(frozen=True, slots=True)
class LinkedReports:
    """The report page's "Campagne en afzender": linked reports that the viewer may open."""

    duplicate_of: str | None
    campaign: CampaignRef | None
    campaign_members: list[Report]  # oldest first, this report included
    author_count: int  # this sender's reports on this platform that the viewer may see, this one included
    author_reports: list[Report]  # the others, newest first

    @property
    def empty(self) -> bool:
        return not (self.duplicate_of or self.campaign or self.author_reports)


def linked_reports(db: Session, viewer: User, report: Report) -> LinkedReports:
    original = db.get(Report, report.duplicate_of_id) if report.duplicate_of_id else None
    campaign = _campaigns(db, viewer, [report]).get(report.id)
    others = history_reports(db, viewer, report)
    return LinkedReports(
        duplicate_of=original.id if original is not None and _may_see(viewer, original) else None,
        campaign=campaign,
        campaign_members=members(db, viewer, report) if campaign else [],
        author_count=histories(db, viewer, [report])[report.id].count if report.author_key else 0,
        author_reports=others,
    )


def _may_see(viewer: User, report: Report) -> bool:
    return report.org_id == viewer.org_id and (viewer.role in REVIEW_ROLES or report.reporter_id == viewer.id)
