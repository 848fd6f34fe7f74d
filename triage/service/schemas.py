"""Request and response bodies of the JSON API: one family per entity."""

from __future__ import annotations

from datetime import date, datetime
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


FollowUpKind = Literal["gir", "police", "platform", "not_reported"]


class FollowUpCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: FollowUpKind = Field(
        description="gir: registered in GIR; police: aangifte (reference and occurred_at required); "
        "platform: reported to the platform; not_reported: decided not to report (note: the reason)."
    )
    reference: str | None = Field(default=None, max_length=200, description="Registration number.")
    occurred_at: datetime | None = Field(default=None, description="When (a date is read as Dutch time).")
    note: str | None = Field(default=None, max_length=20_000)


class FollowUpPublic(BaseModel):
    id: str
    kind: FollowUpKind
    reference: str | None
    occurred_at: datetime
    note: str | None
    by: str | None
    created_at: datetime


class PoliceDeadline(BaseModel):
    """The police guideline: high and critical reports get a police decision within two working days."""

    required: bool
    decided: bool
    due_at: datetime | None
    overdue: bool


class CampaignRef(BaseModel):
    """Near-duplicates of this message within the organisation (shown to reviewers and admins)."""

    id: str = Field(description="The campaign's first report; `GET /api/v1/queue?campaign=ID` lists all.")
    size: int = Field(description="Reports in the campaign, this one and exact duplicates included.")


class AuthorHistory(BaseModel):
    """Reports with the same author handle (no @, any case) on the same platform, that the caller may see."""

    count: int = Field(description="This report included.")
    report_ids: list[str] = Field(description="The others, newest first, at most 20.")


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
    recipient_role: str | None = None
    author_details: str | None = None
    author_lawful_basis: str | None = None
    context: str | None
    note: str | None
    verdict: dict[str, Any]
    severity: Severity
    severity_score: float
    model: dict[str, str]
    duplicate_of: str | None
    campaign: CampaignRef | None = None
    author_history: AuthorHistory | None = None
    priority: float = 0.0
    claimed_by: str | None
    attachments: list[AttachmentPublic] = []
    advice: Advice
    reviewed_severity: Severity | None = None
    follow_ups: list[FollowUpPublic] = []
    police: PoliceDeadline | None = None
    purged_at: datetime | None = None


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
    campaign: CampaignRef | None = None
    author_history: AuthorHistory | None = None
    priority: float = 0.0
    police_overdue: bool = False
    police_due_at: datetime | None = None


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


class BundleRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    report_ids: list[str] | None = Field(default=None, max_length=500)
    campaign: str | None = Field(default=None, max_length=64)
    author: str | None = Field(default=None, max_length=500)
    reason: str | None = Field(default=None, max_length=2_000, description="Why (chain of custody).")


class OrganisationPublic(BaseModel):
    id: str
    name: str
    contact_address: str | None
    contact_email: str | None
    contact_phone: str | None
    retention_days: int


class OrganisationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    contact_address: str | None = Field(default=None, max_length=1_000)
    contact_email: str | None = Field(default=None, max_length=320)
    contact_phone: str | None = Field(default=None, max_length=50)
    retention_days: int | None = Field(default=None, ge=30, le=3650)


class StatisticRow(BaseModel):
    week: str
    measure: str
    key: str
    value: int | float


class StatisticsPublic(BaseModel):
    period_from: date
    period_to: date
    rows: list[StatisticRow]


class UserPublic(BaseModel):
    id: str
    email: str
    role: str
    active: bool
    erased_at: datetime | None


class ErasureRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=3, max_length=2_000, description="The request, e.g. its date and channel.")


class ErasurePublic(BaseModel):
    user_id: str
    reports_purged: int
    erased_at: datetime
