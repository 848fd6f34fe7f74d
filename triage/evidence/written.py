"""What the builder wrote for each report: archive paths and hashes, input to the manifest and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from triage.evidence.model import Attachment, ReportEvidence


@dataclass(frozen=True, slots=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass(slots=True)
class WrittenAttachment:
    attachment: Attachment
    path: str
    size: int
    sha256: str
    preview: bytes | None = None  # a small JPEG for the PDF, when the file is an image we could read
    preview_note: str = ""

    @property
    def intact(self) -> bool:
        return self.sha256 == self.attachment.intake_sha256.lower()

    @property
    def is_image(self) -> bool:
        return self.attachment.content_type.split(";")[0].strip().lower() in IMAGE_TYPES


@dataclass(slots=True)
class WrittenReport:
    report: ReportEvidence
    folder: str
    text_path: str
    text_sha256: str
    attachments: list[WrittenAttachment] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return self.text_sha256 == self.report.text_sha256.lower() and all(a.intact for a in self.attachments)


IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp", "image/gif"})
