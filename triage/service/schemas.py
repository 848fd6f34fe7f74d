"""Request and response bodies of the JSON API: one family per entity."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from triage.engine.labels import Label, Severity, Target

Platform = Literal[
    "x", "facebook", "instagram", "tiktok", "youtube", "whatsapp", "telegram", "email", "other"
]
Decision = Literal["confirm", "correct", "dismiss", "escalate"]
Status = Literal["new", "in_review", "confirmed", "dismissed", "reported", "closed"]

MAX_FIELD = 2_000


class ReportCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=200_000)
    platform: Platform = "other"
    url: str | None = Field(default=None, max_length=MAX_FIELD)
    message_id: str | None = Field(default=None, max_length=500)
    author_handle: str | None = Field(default=None, max_length=500)
    author_name: str | None = Field(default=None, max_length=500)
    author_url: str | None = Field(default=None, max_length=MAX_FIELD)
    posted_at: datetime | None = None
    received_at: datetime | None = None
    recipient: str | None = Field(default=None, max_length=500)
    recipient_role: str | None = Field(default=None, max_length=200)
    author_details: str | None = Field(
        default=None,
        max_length=MAX_FIELD,
        description="Data about the sender beyond what the message shows; needs author_lawful_basis.",
    )
    author_lawful_basis: str | None = Field(default=None, max_length=MAX_FIELD)
    context: str | None = Field(default=None, max_length=200_000)
    note: str | None = Field(default=None, max_length=20_000)

    @model_validator(mode="after")
    def _lawful_basis(self) -> ReportCreate:
        if (self.author_details or "").strip() and not (self.author_lawful_basis or "").strip():
            raise ValueError("author_details is recorded only with a stated author_lawful_basis")
        return self


class Advice(BaseModel):
    severity: Severity
    title: str
    steps: list[str]


class AttachmentPublic(BaseModel):
    id: str
    filename: str
    media_type: str
    size: int
    sha256: str
    ocr_text: str | None


class ReportPublic(BaseModel):
    id: str
    status: Status
    created_at: datetime
    text: str
    text_sha256: str
    text_source: str
    platform: str
    url: str | None
    message_id: str | None
    author_handle: str | None
    author_name: str | None
    author_url: str | None
    posted_at: datetime | None
    received_at: datetime | None
    recipient: str | None
    context: str | None
    note: str | None
    verdict: dict[str, Any]
    severity: Severity
    severity_score: float
    model: dict[str, str]
    duplicate_of: str | None
    claimed_by: str | None
    attachments: list[AttachmentPublic] = []
    advice: Advice


class ReportSummary(BaseModel):
    id: str
    status: Status
    created_at: datetime
    platform: str
    author_handle: str | None
    severity: Severity
    severity_score: float
    flags: list[str]
    excerpt: str
    duplicate_of: str | None


class ReportPage(BaseModel):
    items: list[ReportSummary]
    next_cursor: str | None = None


class ReviewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision
    labels: list[Label] | None = None
    severity: Severity | None = None
    target: Target | None = None
    note: str | None = Field(default=None, max_length=20_000)


class ReviewPublic(BaseModel):
    id: str
    report_id: str
    decision: Decision
    labels: list[str] | None
    severity: str | None
    target: str | None
    note: str | None
    created_at: datetime
    status: Status


class StatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Literal["reported", "closed", "in_review"]
    note: str | None = Field(default=None, max_length=20_000)


class ClaimPublic(BaseModel):
    id: str
    status: Status
    claimed_by: str | None


class ClassifyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=200_000)
    recipient: str | None = Field(default=None, max_length=500)


class ImportPublic(BaseModel):
    id: str
    status: str
    kind: str
    total: int
    processed: int
    failed: int
    errors: list[dict[str, Any]]
    created_at: datetime
    finished_at: datetime | None
