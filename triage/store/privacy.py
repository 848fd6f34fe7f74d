"""Privacy: the retention period, and a person's right of access and erasure (AVG/GDPR art. 15 and 17).

Purging deletes the texts (message, thread context, note, OCR text, author details) and the bytes of
the attachments, and keeps an audit stub: the intake hashes, sizes, the machine verdict and the whole
audit trail, so that a bundle exported earlier still verifies and still matches what was recorded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final, Literal

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from triage.errors import Conflict, Forbidden, NotFound
from triage.store import campaigns
from triage.store.audit import Actor, record
from triage.store.models import (
    Attachment,
    AuditEvent,
    Credential,
    FollowUp,
    Organisation,
    Report,
    Review,
    User,
)
from triage.store.types import utcnow

PurgeReason = Literal["retention", "erasure"]
BATCH: Final = 200


def purge_report(session: Session, *, report: Report, reason: PurgeReason, actor: Actor | None) -> None:
    """Delete the texts and attachment bytes of one report, leaving hashes and the audit trail."""
    if report.purged_at is not None:
        return
    attachments = list(session.scalars(select(Attachment).where(Attachment.report_id == report.id)))
    stub: dict[str, Any] = {
        "reason": reason,
        "text_sha256": report.text_sha256,
        "text_chars": len(report.text),
        "attachments": [{"id": a.id, "sha256": a.sha256, "size": a.size} for a in attachments],
    }
    session.execute(
        update(Attachment)
        .where(Attachment.report_id == report.id)
        .values(content=b"", ocr_text=None)
        .execution_options(synchronize_session=False)
    )
    for attachment in attachments:
        session.expire(attachment, ["content", "ocr_text"])
    campaigns.forget(session, report)  # the band keys are derived from the text
    report.text = ""
    report.context = None
    report.note = None
    report.author_details = None
    report.purged_at = utcnow()
    report.purge_reason = reason
    record(session, actor=actor, action="purge", org_id=report.org_id, report_id=report.id, detail=stub)


# --- retention --------------------------------------------------------------------------------------


@dataclass(slots=True)
class RetentionResult:
    purged: dict[str, int] = field(default_factory=dict)  # organisation name -> reports purged

    @property
    def total(self) -> int:
        return sum(self.purged.values())


def retention_due(session: Session, org: Organisation, now: datetime) -> list[str]:
    """Ids of the organisation's closed reports whose retention period has passed."""
    cutoff = now - timedelta(days=org.retention_days)
    closed = func.coalesce(Report.closed_at, Report.updated_at)
    return list(
        session.scalars(
            select(Report.id).where(
                Report.org_id == org.id,
                Report.status == "closed",
                Report.purged_at.is_(None),
                closed <= cutoff,
            )
        )
    )


def apply_retention(
    session: Session, *, now: datetime | None = None, org_id: str | None = None, dry_run: bool = False
) -> RetentionResult:
    """Purge what each organisation's retention period says; commits per batch, audited per report."""
    now = now or utcnow()
    result = RetentionResult()
    query = select(Organisation).order_by(Organisation.name)
    if org_id is not None:
        query = query.where(Organisation.id == org_id)
    for org in list(session.scalars(query)):
        due = retention_due(session, org, now)
        result.purged[org.name] = len(due)
        if dry_run or not due:
            continue
        for start in range(0, len(due), BATCH):
            for report in session.scalars(select(Report).where(Report.id.in_(due[start : start + BATCH]))):
                purge_report(session, report=report, reason="retention", actor=None)
            session.commit()
        record(
            session,
            actor=None,
            action="retention",
            org_id=org.id,
            detail={"purged": len(due), "retention_days": org.retention_days, "run_at": now.isoformat()},
        )
        session.commit()
    return result


# --- a person's data: access and erasure ------------------------------------------------------------


def _subject(session: Session, actor: Actor, user_id: str) -> User:
    if actor.user.role != "admin":
        raise Forbidden("only admins handle privacy requests")
    user = session.get(User, user_id) if len(user_id) <= 64 else None
    if user is None or user.org_id != actor.user.org_id:
        raise NotFound("no such user")
    return user


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def subject_access(session: Session, *, actor: Actor, user_id: str) -> dict[str, Any]:
    """Everything stored about a user, as JSON-ready data (secrets only as counts). Audited."""
    user = _subject(session, actor, user_id)
    org = session.get(Organisation, user.org_id)
    reports = []
    for report in session.scalars(
        select(Report).where(Report.reporter_id == user.id).order_by(Report.created_at, Report.id)
    ):
        reports.append(
            {
                "id": report.id,
                "created_at": _iso(report.created_at),
                "status": report.status,
                "text": report.text,
                "text_sha256": report.text_sha256,
                "text_source": report.text_source,
                "platform": report.platform,
                "url": report.url,
                "message_id": report.message_id,
                "author_handle": report.author_handle,
                "author_name": report.author_name,
                "author_url": report.author_url,
                "author_details": report.author_details,
                "author_lawful_basis": report.author_lawful_basis,
                "posted_at": _iso(report.posted_at),
                "received_at": _iso(report.received_at),
                "recipient": report.recipient,
                "recipient_role": report.recipient_role,
                "context": report.context,
                "note": report.note,
                "verdict": report.verdict,
                "purged_at": _iso(report.purged_at),
                "attachments": [
                    {
                        "id": a.id,
                        "filename": a.filename,
                        "media_type": a.media_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "ocr_text": a.ocr_text,
                        "download": f"/api/v1/reports/{report.id}/attachments/{a.id}",
                    }
                    for a in session.scalars(select(Attachment).where(Attachment.report_id == report.id))
                ],
            }
        )
    activity = [
        {
            "at": _iso(event.created_at),
            "action": event.action,
            "report_id": event.report_id,
            "from": event.remote_addr,
        }
        for event in session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == user.id).order_by(AuditEvent.id)
        )
    ]
    reviews = [
        {"report_id": r.report_id, "at": _iso(r.created_at), "decision": r.decision, "note": r.note}
        for r in session.scalars(
            select(Review).where(Review.reviewer_id == user.id).order_by(Review.created_at)
        )
    ]
    follow_ups = [
        {"report_id": f.report_id, "kind": f.kind, "reference": f.reference, "at": _iso(f.occurred_at)}
        for f in session.scalars(select(FollowUp).where(FollowUp.actor_id == user.id))
    ]
    credentials = session.execute(
        select(Credential.kind, func.count()).where(Credential.user_id == user.id).group_by(Credential.kind)
    ).tuples()
    document = {
        "format": "triage-nl/subject-access",
        "generated_at": _iso(utcnow()),
        "generated_by": actor.user.email,
        "user": {
            "id": user.id,
            "email": user.email,
            "role": user.role,
            "organisation": org.name if org else None,
            "active": user.active,
            "created_at": _iso(user.created_at),
            "erased_at": _iso(user.erased_at),
        },
        "credentials": {kind: n for kind, n in credentials},
        "reports": reports,
        "reviews": reviews,
        "follow_ups": follow_ups,
        "activity": activity,
    }
    record(
        session,
        actor=actor,
        action="gdpr_access",
        org_id=user.org_id,
        detail={"user": user.id, "reports": len(reports)},
    )
    session.commit()
    return document


@dataclass(frozen=True, slots=True)
class Erasure:
    user_id: str
    reports_purged: int
    erased_at: datetime


def erase_user(session: Session, *, actor: Actor, user_id: str, reason: str) -> Erasure:
    """Erase a person on request: their account (e-mail, password, tokens, sessions) and the texts and
    attachments of the reports they forwarded (closed, left as audit stubs). Audited. Export bundles
    that are still needed as evidence first: afterwards their content is gone."""
    user = _subject(session, actor, user_id)
    if user.id == actor.user.id:
        raise Conflict("an admin cannot erase their own account; ask another admin")
    if user.erased_at is not None:
        raise Conflict("this user was already erased")
    now = utcnow()
    reports = list(session.scalars(select(Report).where(Report.reporter_id == user.id)))
    for report in reports:
        purge_report(session, report=report, reason="erasure", actor=actor)
        report.recipient = None
        report.recipient_role = None
        if report.status != "closed":
            before = report.status
            report.status, report.closed_at, report.updated_at = "closed", now, now
            report.claimed_by_id = report.claimed_at = None
            record(
                session,
                actor=actor,
                action="transition",
                org_id=report.org_id,
                report_id=report.id,
                detail={"from": before, "to": "closed", "note": "erasure on request"},
            )
    session.execute(delete(Credential).where(Credential.user_id == user.id))
    user.email = f"erased-{user.id}@invalid"
    user.password_hash = None
    user.active = False
    user.erased_at = now
    record(
        session,
        actor=actor,
        action="gdpr_erasure",
        org_id=user.org_id,
        detail={"user": user.id, "reports_purged": len(reports), "reason": reason},
    )
    session.commit()
    return Erasure(user.id, len(reports), now)
