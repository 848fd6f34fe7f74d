"""A bundle described as JSON (for `triage bundle build` and scripts): the same fields as the model.

Paths are relative to the spec file. A missing intake SHA-256 is computed here, which makes this
read the intake: use it for material that has not been through the service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from triage.errors import InvalidInput
from triage.evidence.hashing import sha256_bytes, sha256_stream
from triage.evidence.model import (
    Attachment,
    ContextMessage,
    CustodyEvent,
    FollowUp,
    MachineAssessment,
    MessageMetadata,
    Organisation,
    Recipient,
    ReportEvidence,
    Review,
)


@dataclass(frozen=True, slots=True)
class BundleSpec:
    organisation: Organisation
    created_by: str
    reports: list[ReportEvidence]


def _time(value: Any, field: str) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidInput(f"{field}: not an ISO 8601 time: {value!r}") from exc
    if moment.tzinfo is None:
        raise InvalidInput(f"{field}: give a time zone (e.g. Z or +01:00): {value!r}")
    return moment


def _required_time(value: Any, field: str) -> datetime:
    moment = _time(value, field)
    if moment is None:
        raise InvalidInput(f"{field} is required")
    return moment


def _attachment(raw: dict[str, Any], base: Path) -> Attachment:
    path = base / str(raw["path"])
    if not path.is_file():
        raise InvalidInput(f"attachment not found: {path}")
    digest = raw.get("sha256")
    if not digest:
        with path.open("rb") as handle:
            digest, _ = sha256_stream(handle)
    return Attachment(
        name=str(raw.get("name", path.name)),
        content_type=str(raw.get("content_type", "application/octet-stream")),
        intake_sha256=str(digest),
        source=path,
        size=path.stat().st_size,
    )


def _metadata(raw: dict[str, Any]) -> MessageMetadata:
    recipient = raw.get("recipient")
    return MessageMetadata(
        platform=str(raw.get("platform", "other")),
        url=str(raw.get("url", "")),
        message_id=str(raw.get("message_id", "")),
        author_handle=str(raw.get("author_handle", "")),
        author_name=str(raw.get("author_name", "")),
        author_url=str(raw.get("author_url", "")),
        author_details=str(raw.get("author_details", "")),
        author_lawful_basis=str(raw.get("author_lawful_basis", "")),
        posted_at_shown=str(raw.get("posted_at_shown", "")),
        posted_at_utc=_time(raw.get("posted_at_utc"), "posted_at_utc"),
        received_at=_time(raw.get("received_at"), "received_at"),
        forwarded_at=_time(raw.get("forwarded_at"), "forwarded_at"),
        recipient=Recipient(**recipient) if isinstance(recipient, dict) else None,
        context=tuple(ContextMessage(**c) for c in raw.get("context", [])),
        reporter=str(raw.get("reporter", "")),
        note=str(raw.get("note", "")),
    )


def _report(raw: dict[str, Any], base: Path) -> ReportEvidence:
    if "text_file" in raw:
        text = (base / str(raw["text_file"])).read_bytes()
    else:
        text = str(raw.get("text", "")).encode("utf-8")
    verdict = raw.get("verdict")
    return ReportEvidence(
        report_id=str(raw["report_id"]),
        text=text,
        text_sha256=str(raw.get("text_sha256") or sha256_bytes(text)),
        text_source="ocr" if raw.get("text_source") == "ocr" else "received",
        metadata=_metadata(raw.get("metadata", {})),
        attachments=tuple(_attachment(a, base) for a in raw.get("attachments", [])),
        assessment=None
        if verdict is None
        else MachineAssessment(verdict, _time(raw.get("assessed_at"), "assessed_at"), bool(raw.get("ocr"))),
        reviews=tuple(
            Review(
                reviewer=str(r["reviewer"]),
                decided_at=_required_time(r.get("decided_at"), "reviews.decided_at"),
                decision=str(r["decision"]),
                labels=None if (labels := r.get("labels")) is None else tuple(labels),
                severity=r.get("severity"),
                target=r.get("target"),
                note=str(r.get("note", "")),
            )
            for r in raw.get("reviews", [])
        ),
        custody=tuple(
            CustodyEvent(
                actor=str(c["actor"]),
                at=_required_time(c.get("at"), "custody.at"),
                action=str(c["action"]),
                reason=str(c.get("reason", "")),
                detail=str(c.get("detail", "")),
                origin=str(c.get("origin", "")),
            )
            for c in raw.get("custody", [])
        ),
        follow_ups=tuple(
            FollowUp(
                kind=f["kind"],
                at=_required_time(f.get("at"), "follow_ups.at"),
                by=str(f.get("by", "")),
                reference=str(f.get("reference", "")),
                note=str(f.get("note", "")),
            )
            for f in raw.get("follow_ups", [])
        ),
    )


def load_spec(path: Path) -> BundleSpec:
    try:
        raw = json.loads(path.read_text("utf-8"))
        organisation = Organisation(**raw["organisation"])
        reports = [_report(r, path.parent) for r in raw["reports"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(f"{path}: not a valid bundle spec ({type(exc).__name__}: {exc})") from exc
    return BundleSpec(organisation, str(raw.get("created_by", "")), reports)
