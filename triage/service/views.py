"""Turn stored rows into the public API schemas."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from triage.service.advice import advice_for
from triage.service.schemas import (
    AttachmentPublic,
    FollowUpPublic,
    PoliceDeadline,
    ReportPublic,
    ReportSummary,
)
from triage.store.deadlines import POLICE_DECISIONS, POLICE_SEVERITIES, PoliceState, police_state
from triage.store.followups import police_decided
from triage.store.models import Attachment, FollowUp, Report
from triage.store.types import utcnow


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


def report_public(
    report: Report,
    attachments: list[Attachment] | None = None,
    follow_ups: Sequence[tuple[FollowUp, str | None]] = (),
) -> ReportPublic:
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


def report_summary(report: Report, police: PoliceState | None = None) -> ReportSummary:
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


def report_summaries(db: Session, reports: Sequence[Report]) -> list[ReportSummary]:
    states = police_states(db, reports)
    return [report_summary(report, states[report.id]) for report in reports]
