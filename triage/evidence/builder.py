"""`build_bundle`: reports in, one signed ZIP out. Attachments are streamed: hashed and copied in chunks."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import uuid
import zipfile
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from triage import __version__
from triage.errors import InvalidInput
from triage.evidence import manifest as m
from triage.evidence.dossier import build_dossier
from triage.evidence.dutch import utc_iso
from triage.evidence.errors import IntakeMismatch
from triage.evidence.hashing import CHUNK, copy_hashed, sha256_bytes
from triage.evidence.html_report import render_html
from triage.evidence.keys import Signer
from triage.evidence.model import Attachment, Organisation, ReportEvidence
from triage.evidence.names import attachment_path, report_folder
from triage.evidence.pdf_report import render_pdf
from triage.evidence.previews import make_preview
from triage.evidence.serialize import (
    assessment_document,
    check_hash,
    custody_document,
    metadata_document,
    reviews_document,
)
from triage.evidence.timestamp import Timestamper
from triage.evidence.written import FileEntry, WrittenAttachment, WrittenReport

log = logging.getLogger(__name__)

PREVIEW_MAX_BYTES = 32 * 1024 * 1024  # a streamed image larger than this gets no preview in the PDF
PREVIEW_WORKERS = 2  # each decodes one screenshot at a time: memory is bounded by workers x MAX_PIXELS
_STORED_PREFIXES = ("image/", "video/", "audio/", "application/pdf", "application/zip")
IntakePolicy = Literal["fail", "record"]


class _Archive:
    """A ZipFile plus the list of what went in, with sizes and hashes computed while writing."""

    def __init__(self, zf: zipfile.ZipFile, created_at: datetime) -> None:
        self.zf = zf
        t = created_at.astimezone(UTC)
        self.date_time = (t.year, t.month, t.day, t.hour, t.minute, t.second)
        self.files: list[FileEntry] = []

    def _info(self, path: str, compressed: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=self.date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add_bytes(self, path: str, data: bytes, *, listed: bool = True) -> FileEntry:
        self.zf.writestr(self._info(path, compressed=True), data, compresslevel=6)
        entry = FileEntry(path, len(data), sha256_bytes(data))
        if listed:
            self.files.append(entry)
        return entry

    def add_stream(
        self,
        path: str,
        source: IO[bytes],
        size_hint: int | None,
        compressed: bool,
        tee: bytearray | None = None,
    ) -> FileEntry:
        info = self._info(path, compressed)
        if size_hint is not None:
            info.file_size = size_hint
        big = size_hint is None or size_hint >= zipfile.ZIP64_LIMIT
        with self.zf.open(info, "w", force_zip64=big) as sink:
            digest, size = copy_hashed(source, sink, tee, PREVIEW_MAX_BYTES + 1)
        entry = FileEntry(path, size, digest)
        self.files.append(entry)
        return entry


class _Previews:
    """A thread pool that makes previews beside the streaming, with at most 2 x workers in flight:
    a streamed image waits here with its bytes, so the backlog (and memory) stays bounded."""

    def __init__(self, workers: int) -> None:
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="evidence-preview")
        self.limit = 2 * workers
        self.pending: list[Future[tuple[bytes | None, str]]] = []

    def submit(self, source: Path | bytes) -> Future[tuple[bytes | None, str]]:
        self.pending = [f for f in self.pending if not f.done()]
        if len(self.pending) >= self.limit:
            wait(self.pending, return_when=FIRST_COMPLETED)
        future = self.pool.submit(make_preview, source)
        self.pending.append(future)
        return future

    def __enter__(self) -> _Previews:
        return self

    def __exit__(self, *exc: object) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _compress(content_type: str) -> bool:
    return not content_type.lower().startswith(_STORED_PREFIXES)


def _write_attachment(
    archive: _Archive, pool: _Previews, path: str, attachment: Attachment, want_preview: bool
) -> tuple[WrittenAttachment, Future[tuple[bytes | None, str]] | None]:
    is_image = attachment.content_type.split(";")[0].strip().lower().startswith("image/")
    future: Future[tuple[bytes | None, str]] | None = None
    tee: bytearray | None = None
    size_hint: int | None
    with ExitStack() as stack:
        if isinstance(attachment.source, Path):
            size_hint = attachment.size if attachment.size is not None else os.stat(attachment.source).st_size
            stream: IO[bytes] = stack.enter_context(attachment.source.open("rb", buffering=CHUNK))
            if want_preview and is_image:
                future = pool.submit(attachment.source)
        else:
            size_hint = attachment.size
            stream = attachment.source
            tee = bytearray() if want_preview and is_image else None
        entry = archive.add_stream(path, stream, size_hint, _compress(attachment.content_type), tee)
    if tee is not None:
        if len(tee) <= PREVIEW_MAX_BYTES:
            future = pool.submit(bytes(tee))
        else:
            written = WrittenAttachment(
                attachment,
                path,
                entry.size,
                entry.sha256,
                None,
                "Geen voorbeeld: afbeelding te groot; zie het bestand.",
            )
            return written, None
    return WrittenAttachment(attachment, path, entry.size, entry.sha256), future


def _write_report(
    archive: _Archive, pool: _Previews, index: int, report: ReportEvidence, want_previews: bool
) -> tuple[WrittenReport, list[Future[tuple[bytes | None, str]] | None]]:
    folder = report_folder(index, report.report_id)
    check_hash(report.text_sha256, f"report {report.report_id!r}")
    text_name = "ocr-text.txt" if report.text_source == "ocr" else "original.txt"
    text_entry = archive.add_bytes(f"{folder}/{text_name}", report.text)
    written = WrittenReport(report, folder, text_entry.path, text_entry.sha256)
    futures = []
    for number, attachment in enumerate(report.attachments, start=1):
        check_hash(attachment.intake_sha256, f"attachment {number} of report {report.report_id!r}")
        path = attachment_path(folder, number, attachment.name, attachment.content_type)
        item, future = _write_attachment(archive, pool, path, attachment, want_previews)
        written.attachments.append(item)
        futures.append(future)
    archive.add_bytes(f"{folder}/metadata.json", m.dumps(metadata_document(report)))
    archive.add_bytes(f"{folder}/assessment.json", m.dumps(assessment_document(report)))
    archive.add_bytes(f"{folder}/reviews.json", m.dumps(reviews_document(report)))
    archive.add_bytes(f"{folder}/custody.json", m.dumps(custody_document(report)))
    return written, futures


def _mismatches(written: Sequence[WrittenReport]) -> list[str]:
    found = []
    for item in written:
        if item.text_sha256 != item.report.text_sha256.lower():
            found.append(item.text_path)
        found += [a.path for a in item.attachments if not a.intact]
    return found


def _models(reports: Sequence[ReportEvidence]) -> list[dict[str, str]]:
    seen = dict.fromkeys(
        (r.assessment.model_name, r.assessment.model_version) for r in reports if r.assessment is not None
    )
    return [{"name": name, "version": version} for name, version in seen]


def _manifest(
    written: Sequence[WrittenReport],
    files: list[FileEntry],
    *,
    bundle_id: str,
    created_at: datetime,
    created_by: str,
    organisation: Organisation,
    software_version: str,
    signer: Signer,
) -> dict[str, Any]:
    return {
        "format": m.FORMAT,
        "format_version": m.FORMAT_VERSION,
        "bundle_id": bundle_id,
        "created_at": utc_iso(created_at),
        "created_by": created_by,
        "organisation": {
            "name": organisation.name,
            "contact_address": organisation.contact_address,
            "email": organisation.email,
            "phone": organisation.phone,
        },
        "software": {"name": "triage-nl", "version": software_version},
        "models": _models([w.report for w in written]),
        "signing_key": {"algorithm": "Ed25519", "key_id": signer.key_id},
        "hash_algorithm": "sha256",
        "messages": [
            {
                "report_id": w.report.report_id,
                "folder": w.folder,
                "text_source": w.report.text_source,
                "text": {
                    "path": w.text_path,
                    "sha256": w.text_sha256,
                    "intake_sha256": w.report.text_sha256.lower(),
                },
                "attachments": [
                    {
                        "path": a.path,
                        "original_name": a.attachment.name,
                        "content_type": a.attachment.content_type,
                        "size": a.size,
                        "sha256": a.sha256,
                        "intake_sha256": a.attachment.intake_sha256.lower(),
                    }
                    for a in w.attachments
                ],
            }
            for w in written
        ],
        "files": [
            {"path": f.path, "size": f.size, "sha256": f.sha256} for f in sorted(files, key=lambda f: f.path)
        ],
    }


def _sign(
    archive: _Archive,
    manifest_bytes: bytes,
    signer: Signer,
    created_at: datetime,
    timestamper: Timestamper | None,
) -> None:
    signature = signer.sign(manifest_bytes)
    digest = hashlib.sha256(manifest_bytes).digest()
    timestamp: dict[str, Any] | None = None
    if timestamper is not None:
        try:
            archive.add_bytes(m.TIMESTAMP, timestamper.timestamp(digest), listed=False)
            timestamp = {
                "file": m.TIMESTAMP,
                "imprint": "sha256(manifest.json)",
                "tsa": getattr(timestamper, "url", ""),
            }
        except Exception as exc:  # a time-stamping authority being down must not stop a police report
            log.warning("no RFC 3161 timestamp: %s", exc)
            timestamp = {"error": str(exc)}
    archive.add_bytes(m.MANIFEST, manifest_bytes, listed=False)
    archive.add_bytes(m.SIGNATURE_RAW, signature, listed=False)
    document = {
        "algorithm": "Ed25519",
        "signed_file": m.MANIFEST,
        "manifest_sha256": digest.hex(),
        "signature": base64.b64encode(signature).decode("ascii"),
        "key_id": signer.key_id,
        "public_key_pem": signer.public_pem.decode("ascii"),
        "signed_at": utc_iso(created_at),
        "timestamp": timestamp,
    }
    archive.add_bytes(m.SIGNATURE_JSON, m.dumps(document), listed=False)


def build_bundle(
    reports: Sequence[ReportEvidence],
    *,
    organisation: Organisation,
    created_by: str,
    destination: Path,
    signer: Signer,
    timestamper: Timestamper | None = None,
    bundle_id: str | None = None,
    created_at: datetime | None = None,
    software_version: str = __version__,
    intake_mismatch: IntakePolicy = "fail",
    previews: bool = True,
) -> Path:
    """Write the bundle ZIP to `destination` (atomically) and return it.

    With `intake_mismatch="fail"` a file whose SHA-256 differs from the one recorded at intake
    stops the export (IntakeMismatch); with "record" the bundle is made and says so on every page.
    """
    if not reports:
        raise InvalidInput("a bundle needs at least one report")
    if not organisation.name.strip() or not organisation.contact_address.strip():
        raise InvalidInput(
            "the organisation needs a name and a contact address (never the victim's home address)"
        )
    bundle_id = bundle_id or str(uuid.uuid4())
    created_at = (created_at or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
    try:
        with zipfile.ZipFile(partial, "w", allowZip64=True) as zf, _Previews(PREVIEW_WORKERS) as pool:
            archive = _Archive(zf, created_at)
            written: list[WrittenReport] = []
            for index, report in enumerate(reports, start=1):
                item, futures = _write_report(archive, pool, index, report, previews)
                written.append(item)
                for attachment, future in zip(item.attachments, futures, strict=True):
                    if future is not None:
                        attachment.preview, attachment.preview_note = future.result()
            mismatched = _mismatches(written)
            if mismatched and intake_mismatch == "fail":
                raise IntakeMismatch(
                    "changed since intake (SHA-256 differs from the one recorded): " + ", ".join(mismatched)
                )
            models = [f"{x['name']} {x['version']}".strip() for x in _models(reports)]
            dossier = build_dossier(
                written,
                organisation=organisation,
                bundle_id=bundle_id,
                created_at=created_at,
                created_by=created_by,
                key_id=signer.key_id,
                software=f"triage-nl {software_version}",
                models=models,
            )
            archive.add_bytes(m.HTML_REPORT, render_html(dossier))
            archive.add_bytes(m.PDF_REPORT, render_pdf(dossier))
            document = _manifest(
                written,
                archive.files,
                bundle_id=bundle_id,
                created_at=created_at,
                created_by=created_by,
                organisation=organisation,
                software_version=software_version,
                signer=signer,
            )
            _sign(archive, m.dumps(document), signer, created_at, timestamper)
        os.replace(partial, destination)
    finally:
        partial.unlink(missing_ok=True)
    return destination
