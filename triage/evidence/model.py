"""What goes into an evidence bundle: plain data, independent of the database and the engine.

The service fills these from its store; the CLI from a JSON spec (`triage.evidence.spec`).
Times are timezone-aware datetimes; the bundle writes them in UTC.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO, Literal

TextSource = Literal["received", "ocr"]
FollowUpKind = Literal["gir", "police", "platform", "internal", "not_reported"]


@dataclass(frozen=True, slots=True)
class Organisation:
    """The reporting organisation. Its address is the contact address; never the victim's home."""

    name: str
    contact_address: str
    email: str = ""
    phone: str = ""
    contact_person: str = ""


@dataclass(frozen=True, slots=True)
class Recipient:
    name: str
    public_role: str
    organisation: str = ""


@dataclass(frozen=True, slots=True)
class ContextMessage:
    """An earlier message of the thread, as the reporter supplied it."""

    text: str
    author_handle: str = ""
    posted_at_shown: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class MessageMetadata:
    platform: str = "other"
    url: str = ""
    message_id: str = ""
    author_handle: str = ""
    author_name: str = ""
    author_url: str = ""
    author_details: str = ""  # data beyond what the message shows; recorded only with a lawful basis
    author_lawful_basis: str = ""
    posted_at_shown: str = ""
    posted_at_utc: datetime | None = None
    received_at: datetime | None = None
    forwarded_at: datetime | None = None
    recipient: Recipient | None = None
    context: tuple[ContextMessage, ...] = ()
    reporter: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file as received. `source` is a path or a binary stream; it is read once, in chunks."""

    name: str
    content_type: str
    intake_sha256: str
    source: Path | BinaryIO
    size: int | None = None


@dataclass(frozen=True, slots=True)
class MachineAssessment:
    """The engine's verdict (one line of `triage classify`), kept apart from the evidence."""

    verdict: Mapping[str, Any]
    assessed_at: datetime | None = None
    ocr: bool = False

    @property
    def model_name(self) -> str:
        return str(self.verdict.get("model", {}).get("name", ""))

    @property
    def model_version(self) -> str:
        return str(self.verdict.get("model", {}).get("version", ""))

    @property
    def severity(self) -> str:
        return str(self.verdict.get("severity", "none"))


@dataclass(frozen=True, slots=True)
class Review:
    reviewer: str
    decided_at: datetime
    decision: str
    labels: tuple[str, ...] | None = None
    severity: str | None = None
    target: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class CustodyEvent:
    """One entry of the chain of custody: who did what, when, why (and from where)."""

    actor: str
    at: datetime
    action: str
    reason: str = ""
    detail: str = ""
    origin: str = ""


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A step taken: registered in GIR, reported to the police or the platform, or not reported."""

    kind: FollowUpKind
    at: datetime
    by: str = ""
    reference: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReportEvidence:
    report_id: str
    text: bytes
    text_sha256: str
    metadata: MessageMetadata = field(default_factory=MessageMetadata)
    text_source: TextSource = "received"
    attachments: tuple[Attachment, ...] = ()
    assessment: MachineAssessment | None = None
    reviews: tuple[Review, ...] = ()
    custody: tuple[CustodyEvent, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()

    @property
    def final_severity(self) -> str:
        for review in reversed(self.reviews):
            if review.severity:
                return review.severity
        return self.assessment.severity if self.assessment else "none"

    @property
    def final_labels(self) -> tuple[str, ...]:
        for review in reversed(self.reviews):
            if review.labels is not None:
                return review.labels
        if self.assessment is None:
            return ()
        return tuple(str(flag) for flag in self.assessment.verdict.get("flags", []))

    @property
    def final_target(self) -> str:
        for review in reversed(self.reviews):
            if review.target:
                return review.target
        return str(self.assessment.verdict.get("target", "none")) if self.assessment else "none"
