"""Service functions behind the report routes: load within tenancy, act, audit, commit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from triage.errors import Gone
from triage.service.intake import as_utc
from triage.store import workflow
from triage.store.audit import Actor, record
from triage.store.followups import FollowUpInput, add_follow_up
from triage.store.models import Attachment, FollowUp, Report, Review
from triage.store.reports import attachments_of, get_attachment, get_visible


def view_report(
    db: Session, *, actor: Actor, report_id: str, channel: str
) -> tuple[Report, list[Attachment]]:
    report = get_visible(db, actor.user, report_id)
    record(db, actor=actor, action="view", org_id=report.org_id, report_id=report.id, detail={"via": channel})
    db.commit()
    return report, attachments_of(db, report.id)


def view_attachment(db: Session, *, actor: Actor, attachment_id: str) -> Attachment:
    attachment = get_attachment(db, actor.user, attachment_id)
    report = db.get(Report, attachment.report_id)
    if report is not None and report.purged_at is not None:
        raise Gone(f"this attachment was deleted on {report.purged_at:%Y-%m-%d}; its SHA-256 remains")
    record(
        db,
        actor=actor,
        action="view_attachment",
        org_id=actor.user.org_id,
        report_id=attachment.report_id,
        detail={"attachment": attachment.id, "sha256": attachment.sha256},
    )
    db.commit()
    return attachment


def claim_report(db: Session, *, actor: Actor, report_id: str) -> Report:
    report = get_visible(db, actor.user, report_id)
    workflow.claim(db, actor=actor, report=report)
    db.commit()
    return report


def release_report(db: Session, *, actor: Actor, report_id: str) -> Report:
    report = get_visible(db, actor.user, report_id)
    workflow.release(db, actor=actor, report=report)
    db.commit()
    return report


def review_report(
    db: Session,
    *,
    actor: Actor,
    report_id: str,
    decision: str,
    labels: list[str] | None = None,
    severity: str | None = None,
    target: str | None = None,
    note: str | None = None,
) -> tuple[Report, Review]:
    report = get_visible(db, actor.user, report_id)
    review = workflow.add_review(
        db,
        actor=actor,
        report=report,
        decision=decision,
        labels=labels,
        severity=severity,
        target=target,
        note=note,
    )
    db.commit()
    return report, review


def change_status(
    db: Session, *, actor: Actor, report_id: str, status: str, note: str | None = None
) -> Report:
    report = get_visible(db, actor.user, report_id)
    workflow.set_status(db, actor=actor, report=report, status=status, note=note)
    db.commit()
    return report


def record_follow_up(
    db: Session,
    *,
    actor: Actor,
    report_id: str,
    kind: str,
    reference: str | None = None,
    occurred_at: datetime | None = None,
    note: str | None = None,
) -> FollowUp:
    report = get_visible(db, actor.user, report_id)
    step = FollowUpInput(kind=kind, reference=reference, occurred_at=as_utc(occurred_at), note=note)
    row = add_follow_up(db, actor=actor, report=report, step=step)
    db.commit()
    return row
