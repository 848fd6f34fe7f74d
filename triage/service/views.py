"""Turn stored rows into the public API schemas."""

from __future__ import annotations

from triage.service.advice import advice_for
from triage.service.schemas import AttachmentPublic, ReportPublic, ReportSummary
from triage.store.models import Attachment, Report


def excerpt(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def report_public(report: Report, attachments: list[Attachment] | None = None) -> ReportPublic:
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
    )


def report_summary(report: Report) -> ReportSummary:
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
    )
