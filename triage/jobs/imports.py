"""Import many messages (JSON Lines or CSV) as reports, in batches, recording progress as it goes."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select, update

from triage.jobs.base import JobContext
from triage.store.audit import Actor
from triage.store.models import ImportJob, User
from triage.store.reports import ReportFields, create_report
from triage.store.types import utcnow

log = logging.getLogger(__name__)
BATCH: Final = 200
MAX_ERRORS: Final = 100
MAX_TEXT: Final = 100_000
PLATFORMS: Final = frozenset(
    {"x", "facebook", "instagram", "tiktok", "youtube", "whatsapp", "telegram", "email"}
)
_TEXT_FIELDS: Final = (
    "url",
    "message_id",
    "author_handle",
    "author_name",
    "author_url",
    "recipient",
    "recipient_role",
    "author_details",
    "author_lawful_basis",
    "context",
    "note",
)


def parse_rows(kind: str, payload: bytes) -> Iterator[tuple[int, dict[str, Any] | str]]:
    """(line number, row) or (line number, error message) per record."""
    text = payload.decode("utf-8-sig", errors="replace")
    if kind == "csv":
        for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
            yield number, {k.strip(): v for k, v in row.items() if isinstance(k, str)}
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, f"invalid JSON: {exc.msg}"
            continue
        yield number, row if isinstance(row, dict) else "a line must be a JSON object"


def _when(value: Any) -> datetime | None:
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _bad_unicode(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def to_fields(row: dict[str, Any], defaults: dict[str, Any]) -> ReportFields:
    text = row.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("missing text")
    if len(text) > MAX_TEXT:
        raise ValueError(f"text longer than {MAX_TEXT} characters")
    platform = str(row.get("platform") or defaults.get("platform") or "other").lower()
    fields = ReportFields(text=text, platform=platform if platform in PLATFORMS else "other")
    for name in _TEXT_FIELDS:
        value = row.get(name)
        if value not in (None, ""):
            setattr(fields, name, str(value)[:2000])
    if fields.author_details and not fields.author_lawful_basis:
        raise ValueError("author_details needs author_lawful_basis")
    for name in ("text", *_TEXT_FIELDS):
        value = getattr(fields, name)
        if isinstance(value, str) and ("\x00" in value or _bad_unicode(value)):
            raise ValueError(f"{name} contains a NUL character or invalid Unicode")
    fields.posted_at = _when(row.get("posted_at"))
    fields.received_at = _when(row.get("received_at"))
    return fields


class ImportReports:
    name = "import_reports"

    def run(self, context: JobContext, job_id: str) -> None:
        with context.sessions() as session:
            job = session.get(ImportJob, job_id)
            if job is None or job.status in ("done", "failed"):
                return
            job.status = "running"
            kind, payload, defaults, user_id = job.kind, job.payload, dict(job.defaults), job.user_id
            session.commit()
        try:
            self._import(context, job_id, kind, payload, defaults, user_id)
        except Exception as exc:
            with context.sessions() as session:
                job = session.get(ImportJob, job_id)
                if job is not None:
                    job.status = "failed"
                    job.errors = [*job.errors, {"line": None, "error": f"{type(exc).__name__}: {exc}"}]
                    job.finished_at = utcnow()
                    session.commit()
            raise

    def _import(
        self,
        context: JobContext,
        job_id: str,
        kind: str,
        payload: bytes,
        defaults: dict[str, Any],
        user_id: str,
    ) -> None:
        rows = list(parse_rows(kind, payload))
        with context.sessions() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None
            job.total = len(rows)
            done = job.processed  # after a restart: resume behind the last committed batch
            session.commit()
        for start in range(done, len(rows), BATCH):
            batch: list[tuple[int, ReportFields]] = []
            errors: list[dict[str, Any]] = []
            for number, row in rows[start : start + BATCH]:
                try:
                    if isinstance(row, str):
                        raise ValueError(row)
                    batch.append((number, to_fields(row, defaults)))
                except ValueError as exc:
                    errors.append({"line": number, "error": str(exc)})
            verdicts = context.classifier.classify_many(
                [fields.text for _, fields in batch], [fields.recipient for _, fields in batch]
            )
            with context.sessions() as session:
                user = session.get(User, user_id)
                assert user is not None
                actor = Actor(user=user)
                # A batch commits together with the progress counter, and only if the counter is still
                # where this runner left it: a second runner of the same job (resumed by another
                # process) never imports a row twice; the one that loses the race stops.
                chunk = len(rows[start : start + BATCH])
                moved = session.execute(
                    update(ImportJob)
                    .where(ImportJob.id == job_id, ImportJob.processed == done)
                    .values(processed=done + chunk, failed=ImportJob.failed + len(errors))
                    .execution_options(synchronize_session=False)
                )
                if moved.rowcount != 1:  # type: ignore[attr-defined]
                    session.rollback()
                    log.warning("import %s: another runner took over at row %d; stopping", job_id, done)
                    return
                for (_, fields), verdict in zip(batch, verdicts, strict=True):
                    create_report(
                        session,
                        actor=actor,
                        fields=fields,
                        verdict=verdict.to_dict(),
                        text_source="import",
                        import_job_id=job_id,
                    )
                if errors:
                    known = session.scalar(select(ImportJob.errors).where(ImportJob.id == job_id)) or []
                    session.execute(
                        update(ImportJob)
                        .where(ImportJob.id == job_id)
                        .values(errors=(list(known) + errors)[:MAX_ERRORS])
                        .execution_options(synchronize_session=False)
                    )
                session.commit()
                done += chunk
        with context.sessions() as session:
            job = session.get(ImportJob, job_id)
            assert job is not None
            job.status = "done"
            job.finished_at = utcnow()
            session.commit()
