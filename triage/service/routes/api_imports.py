from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from triage.errors import InvalidInput, NotFound, PayloadTooLarge
from triage.service.deps import DbDep, ReviewerActor, SettingsDep, StateDep
from triage.service.schemas import ImportPublic
from triage.store.audit import record
from triage.store.models import ImportJob

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])


def _public(job: ImportJob) -> ImportPublic:
    return ImportPublic(
        id=job.id,
        status=job.status,
        kind=job.kind,
        total=job.total,
        processed=job.processed,
        failed=job.failed,
        errors=job.errors,
        created_at=job.created_at,
        finished_at=job.finished_at,
    )


def _kind(content_type: str, filename: str) -> str:
    if "csv" in content_type or filename.lower().endswith(".csv"):
        return "csv"
    return "jsonl"


@router.post("", status_code=202)
async def start_import(
    request: Request, db: DbDep, actor: ReviewerActor, settings: SettingsDep, state: StateDep
) -> ImportPublic:
    """JSON Lines or CSV (a `text` column), raw or as the multipart field `file`; runs in the background."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the file as the field `file`")
        payload, kind = await upload.read(), _kind(upload.content_type or "", upload.filename or "")
    else:
        payload, kind = await request.body(), _kind(content_type, "")
    if len(payload) > settings.max_import_bytes:
        raise PayloadTooLarge(f"an import may be at most {settings.max_import_bytes} bytes")
    if not payload.strip():
        raise InvalidInput("the import is empty")
    job = ImportJob(org_id=actor.user.org_id, user_id=actor.user.id, kind=kind, payload=payload, defaults={})
    db.add(job)
    db.flush()
    record(
        db,
        actor=actor,
        action="import",
        org_id=actor.user.org_id,
        detail={"job": job.id, "bytes": len(payload)},
    )
    db.commit()
    state.runner.submit("import_reports", job.id)
    return _public(job)


@router.get("/{job_id}")
def get_import(job_id: str, db: DbDep, actor: ReviewerActor) -> ImportPublic:
    job = db.get(ImportJob, job_id) if len(job_id) <= 64 else None
    if job is None or job.org_id != actor.user.org_id:
        raise NotFound("no such import")
    return _public(job)
