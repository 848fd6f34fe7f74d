"""JSON documents per report: metadata.json, assessment.json, reviews.json, custody.json."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from triage.errors import InvalidInput
from triage.evidence.dutch import utc_iso
from triage.evidence.model import ReportEvidence


def _utc(moment: datetime | None) -> str | None:
    try:
        return utc_iso(moment)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def metadata_document(report: ReportEvidence) -> dict[str, Any]:
    meta = report.metadata
    recipient = meta.recipient
    return {
        "report_id": report.report_id,
        "text_source": report.text_source,
        "platform": meta.platform,
        "url": meta.url,
        "message_id": meta.message_id,
        "author": {
            "handle": meta.author_handle,
            "display_name": meta.author_name,
            "profile_url": meta.author_url,
            "details": meta.author_details,
            "lawful_basis": meta.author_lawful_basis,
        },
        "posted_at_shown": meta.posted_at_shown,
        "posted_at_utc": _utc(meta.posted_at_utc),
        "received_at_utc": _utc(meta.received_at),
        "forwarded_at_utc": _utc(meta.forwarded_at),
        "recipient": None
        if recipient is None
        else {
            "name": recipient.name,
            "public_role": recipient.public_role,
            "organisation": recipient.organisation,
        },
        "context": [
            {
                "text": c.text,
                "author_handle": c.author_handle,
                "posted_at_shown": c.posted_at_shown,
                "url": c.url,
            }
            for c in meta.context
        ],
        "reporter": meta.reporter,
        "note": meta.note,
        "attachments": [
            {
                "original_name": a.name,
                "content_type": a.content_type,
                "intake_sha256": a.intake_sha256.lower(),
            }
            for a in report.attachments
        ],
    }


def assessment_document(report: ReportEvidence) -> dict[str, Any]:
    assessment = report.assessment
    base: dict[str, Any] = {
        "kind": "machine_assessment",
        "notice": "Automatische inschatting door software; geen bewijs en geen menselijk oordeel.",
    }
    if assessment is None:
        return base | {"verdict": None}
    return base | {
        "model": {"name": assessment.model_name, "version": assessment.model_version},
        "assessed_at_utc": _utc(assessment.assessed_at),
        "ocr": assessment.ocr,
        "verdict": dict(assessment.verdict),
    }


def reviews_document(report: ReportEvidence) -> list[dict[str, Any]]:
    return [
        {
            "reviewer": r.reviewer,
            "decided_at_utc": _utc(r.decided_at),
            "decision": r.decision,
            "labels": None if r.labels is None else list(r.labels),
            "severity": r.severity,
            "target": r.target,
            "note": r.note,
        }
        for r in report.reviews
    ]


def custody_document(report: ReportEvidence) -> dict[str, Any]:
    return {
        "events": [
            {
                "actor": c.actor,
                "at_utc": _utc(c.at),
                "action": c.action,
                "reason": c.reason,
                "detail": c.detail,
                "origin": c.origin,
            }
            for c in report.custody
        ],
        "follow_ups": [
            {"kind": f.kind, "at_utc": _utc(f.at), "by": f.by, "reference": f.reference, "note": f.note}
            for f in report.follow_ups
        ],
    }


def check_hash(value: str, what: str) -> str:
    lowered = value.strip().lower()
    if len(lowered) != 64 or any(c not in "0123456789abcdef" for c in lowered):
        raise InvalidInput(f"{what}: the intake SHA-256 is not 64 hex digits")
    return lowered
