"""Forwarding: validate, read screenshots by OCR when there is no text, classify, store, commit."""

from __future__ import annotations

from dataclasses import dataclass, replace
from dataclasses import fields as dataclass_fields
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from triage.config import Settings
from triage.errors import InvalidInput, PayloadTooLarge
from triage.ports import Classifier
from triage.service import ocr
from triage.service.eml import parse_eml
from triage.service.uploads import IMAGE_TYPES, check_upload
from triage.service.views import Links, report_links
from triage.store.audit import Actor
from triage.store.models import Attachment, Report
from triage.store.reports import AttachmentInput, ReportFields, attachments_of, create_report

MAX_ATTACHMENTS = 10
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def as_utc(moment: datetime | None) -> datetime | None:
    """Times without a zone are as shown to a Dutch official: Amsterdam time."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)).astimezone(UTC)


def check_storable(fields: ReportFields) -> None:
    """Text the database cannot hold exactly is refused, not altered: NUL characters (PostgreSQL text
    cannot store them) and lone surrogates (not UTF-8; they only arrive through JSON escapes)."""
    for field in dataclass_fields(fields):
        value = getattr(fields, field.name)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            raise InvalidInput(f"{field.name} contains a NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise InvalidInput(f"{field.name} is not valid Unicode (a lone surrogate)") from exc


def prepare_attachments(files: list[tuple[str, bytes]], settings: Settings) -> list[AttachmentInput]:
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInput(f"at most {MAX_ATTACHMENTS} attachments per report")
    return [
        AttachmentInput(
            filename=name or "attachment",
            media_type=check_upload(
                content, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels
            ),
            content=content,
        )
        for name, content in files
    ]


@dataclass(frozen=True, slots=True)
class Forwarded:
    """A committed report, with its attachments and what its forwarder may see of its links."""

    report: Report
    attachments: list[Attachment]
    links: Links


def forward(
    db: Session,
    classifier: Classifier,
    settings: Settings,
    *,
    actor: Actor,
    fields: ReportFields,
    files: list[tuple[str, bytes]] | None = None,
    text_source: str = "input",
) -> Forwarded:
    check_storable(fields)
    attachments = prepare_attachments(files or [], settings)
    fields = replace(fields, posted_at=as_utc(fields.posted_at), received_at=as_utc(fields.received_at))
    if len(fields.text) > settings.max_text_chars:
        raise PayloadTooLarge(f"a text may be at most {settings.max_text_chars} characters")
    notes: list[str] = []
    if not fields.text.strip():
        images = [a for a in attachments if a.media_type in IMAGE_TYPES]
        if not images:
            raise InvalidInput("a report needs a text or a screenshot to read it from")
        for image in images:
            image.ocr_text = ocr.read_text(image.content, languages=settings.ocr_languages)
        fields = replace(fields, text="\n\n".join(i.ocr_text for i in images if i.ocr_text))
        text_source = "ocr"
        notes.append("text read by OCR from the screenshot")
    verdict = classifier.classify(fields.text, recipient=fields.recipient or None).to_dict()
    verdict["notes"] = [*verdict.get("notes", []), *notes]
    verdict["ocr"] = text_source == "ocr"
    report = create_report(
        db, actor=actor, fields=fields, verdict=verdict, text_source=text_source, attachments=attachments
    )
    # What the answer shows is read in the same transaction (on SQLite a second one, only to read,
    # would queue for the write lock again): its attachments and what the forwarder may see of its
    # campaign and sender history.
    stored = attachments_of(db, report.id) if attachments else []
    links = report_links(db, actor.user, [report])[report.id]
    db.commit()  # nothing acknowledged is ever lost: commit before answering 201
    return Forwarded(report, stored, links)


def forward_eml(
    db: Session,
    classifier: Classifier,
    settings: Settings,
    *,
    actor: Actor,
    raw: bytes,
    note: str | None = None,
) -> Forwarded:
    if len(raw) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"an e-mail may be at most {settings.max_upload_bytes} bytes")
    parsed = parse_eml(raw)
    body = parsed.body.strip()
    text = f"{parsed.subject}\n\n{body}" if parsed.subject and body else (body or parsed.subject or "")
    fields = ReportFields(
        text=text,
        platform="email",
        message_id=parsed.message_id,
        author_handle=parsed.sender,
        author_name=parsed.sender_name,
        posted_at=parsed.date,
        note=note,
    )
    files = [("forwarded.eml", raw)] + [
        (name, content) for name, content in parsed.attachments[: MAX_ATTACHMENTS - 1]
    ]
    # The .eml itself is kept as evidence; attachments of unaccepted types are dropped, not rejected.
    accepted = [files[0]]
    for name, content in files[1:]:
        try:
            check_upload(content, max_bytes=settings.max_upload_bytes)
        except Exception:
            continue
        accepted.append((name, content))
    return forward(db, classifier, settings, actor=actor, fields=fields, files=accepted, text_source="eml")
