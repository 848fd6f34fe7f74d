"""Storing forwarded messages and finding them again, always within what the caller may see."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.errors import InvalidInput, NotFound
from triage.store.audit import Actor, record
from triage.store.authors import author_key
from triage.store.campaigns import signatures
from triage.store.linking import finish_links, link_report
from triage.store.models import Attachment, Report, ReportFlag, User
from triage.store.types import new_id
from triage.store.users import REVIEW_ROLES


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    return sha256_hex(text.encode("utf-8", "surrogatepass"))


@dataclass(slots=True)
class ReportFields:
    text: str
    platform: str = "other"
    url: str | None = None
    message_id: str | None = None
    author_handle: str | None = None
    author_name: str | None = None
    author_url: str | None = None
    posted_at: datetime | None = None
    received_at: datetime | None = None
    recipient: str | None = None
    recipient_role: str | None = None
    author_details: str | None = None
    author_lawful_basis: str | None = None
    context: str | None = None
    note: str | None = None


def check_lawful_basis(fields: ReportFields) -> None:
    """Author data beyond what the message shows (handle, display name, profile URL) needs a basis."""
    if (fields.author_details or "").strip() and not (fields.author_lawful_basis or "").strip():
        raise InvalidInput(
            "author_details (data about the sender beyond what the message shows) is recorded only "
            "with a stated lawful basis: fill in author_lawful_basis"
        )


@dataclass(slots=True)
class AttachmentInput:
    filename: str
    media_type: str
    content: bytes
    ocr_text: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def create_report(
    session: Session,
    *,
    actor: Actor,
    fields: ReportFields,
    verdict: dict[str, Any],
    text_source: str = "input",
    attachments: list[AttachmentInput] | None = None,
    import_job_id: str | None = None,
) -> Report:
    user = actor.user
    check_lawful_basis(fields)
    digest = text_sha256(fields.text)
    # The signature needs no database: computed (or found in the cache) before the transaction's
    # first statement takes the write lock.
    sig = signatures.signature(digest, fields.text) if fields.text.strip() else None
    model = verdict.get("model", {})
    report = Report(
        id=new_id(),
        org_id=user.org_id,
        reporter_id=user.id,
        text=fields.text,
        text_sha256=digest,
        text_source=text_source,
        platform=fields.platform,
        url=fields.url,
        message_id=fields.message_id,
        author_handle=fields.author_handle,
        author_key=author_key(fields.author_handle),
        author_name=fields.author_name,
        author_url=fields.author_url,
        posted_at=fields.posted_at,
        received_at=fields.received_at,
        recipient=fields.recipient or user.email,
        recipient_role=fields.recipient_role or None,
        author_details=(fields.author_details or "").strip() or None,
        author_lawful_basis=(fields.author_lawful_basis or "").strip() or None,
        context=fields.context,
        note=fields.note,
        verdict=verdict,
        model_name=str(model.get("name", "")),
        model_version=str(model.get("version", "")),
        severity=verdict["severity"],
        severity_score=float(verdict["severity_score"]),
        import_job_id=import_job_id,
    )
    links = link_report(session, report, sig)  # sets duplicate_of_id, campaign_id and priority
    session.add(report)
    session.flush()  # the report's row first: the rows below refer to it
    session.add_all(ReportFlag(report_id=report.id, label=label) for label in dict.fromkeys(verdict["flags"]))
    hashes = []
    for item in attachments or []:
        attachment = Attachment(
            report_id=report.id,
            filename=item.filename[:500],
            media_type=item.media_type,
            size=len(item.content),
            sha256=sha256_hex(item.content),
            content=item.content,
            ocr_text=item.ocr_text,
        )
        session.add(attachment)
        hashes.append({"filename": attachment.filename, "sha256": attachment.sha256})
    finish_links(session, report, links)
    detail: dict[str, Any] = {"text_sha256": digest, "attachments": hashes, "source": text_source}
    record(
        session,
        actor=actor,
        action="create",
        org_id=user.org_id,
        report_id=report.id,
        detail=detail | links.detail,
    )
    return report


def get_visible(session: Session, user: User, report_id: str) -> Report:
    """The report if `user` may see it; otherwise NotFound, exactly as if it did not exist."""
    report = session.get(Report, report_id) if len(report_id) <= 64 else None
    if report is None or report.org_id != user.org_id:
        raise NotFound("no such report")
    if user.role not in REVIEW_ROLES and report.reporter_id != user.id:
        raise NotFound("no such report")
    return report


def list_own(session: Session, user: User, *, limit: int = 50, offset: int = 0) -> list[Report]:
    return list(
        session.scalars(
            select(Report)
            .where(Report.reporter_id == user.id)
            .order_by(Report.created_at.desc(), Report.id)
            .limit(limit)
            .offset(offset)
        )
    )


def attachments_of(session: Session, report_id: str) -> list[Attachment]:
    return list(session.scalars(select(Attachment).where(Attachment.report_id == report_id)))


def get_attachment(session: Session, user: User, attachment_id: str) -> Attachment:
    attachment = session.get(Attachment, attachment_id) if len(attachment_id) <= 64 else None
    if attachment is None:
        raise NotFound("no such attachment")
    get_visible(session, user, attachment.report_id)
    return attachment
