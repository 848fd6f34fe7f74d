from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from triage.errors import InvalidInput, UnsupportedMediaType
from triage.service import casework, intake
from triage.service.deps import ClassifierDep, CurrentActor, DbDep, ReviewerActor, SettingsDep
from triage.service.schemas import (
    ClaimPublic,
    FollowUpCreate,
    FollowUpPublic,
    ReportCreate,
    ReportPage,
    ReportPublic,
    ReviewCreate,
    ReviewPublic,
    StatusChange,
)
from triage.service.views import follow_up_public, report_links, report_public, report_summaries
from triage.store.followups import follow_ups_of
from triage.store.reports import ReportFields, get_visible, list_own

router = APIRouter(prefix="/api/v1/reports", tags=["reports"])


async def _parse_forward(request: Request) -> tuple[ReportCreate, list[tuple[str, bytes]]]:
    content_type = request.headers.get("content-type", "")
    try:
        if content_type.startswith("multipart/form-data"):
            form = await request.form()
            files = [
                (value.filename or "attachment", await value.read())
                for key, value in form.multi_items()
                if isinstance(value, UploadFile) and key in ("attachments", "files", "file", "screenshot")
            ]
            data = {k: v for k, v in form.multi_items() if isinstance(v, str) and v != ""}
            return ReportCreate.model_validate(data), files
        if content_type.startswith("application/json"):
            return ReportCreate.model_validate_json(await request.body()), []
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise InvalidInput(f"the report is not valid: {details}") from exc
    raise UnsupportedMediaType("send JSON or multipart/form-data")


def _fields(body: ReportCreate) -> ReportFields:
    return ReportFields(**body.model_dump())


@router.post(
    "",
    status_code=201,
    openapi_extra={
        "requestBody": {
            "content": {
                "application/json": {"schema": ReportCreate.model_json_schema()},
                "multipart/form-data": {"schema": {"type": "object"}},
            }
        }
    },
)
async def forward(
    request: Request, db: DbDep, classifier: ClassifierDep, settings: SettingsDep, actor: CurrentActor
) -> ReportPublic:
    """Forward a message (JSON, or multipart with `attachments`). Answers once it is committed."""
    body, files = await _parse_forward(request)
    done = await run_in_threadpool(
        intake.forward, db, classifier, settings, actor=actor, fields=_fields(body), files=files
    )
    return report_public(done.report, done.attachments, links=done.links)


@router.post("/eml", status_code=201)
async def forward_eml(
    request: Request, db: DbDep, classifier: ClassifierDep, settings: SettingsDep, actor: CurrentActor
) -> ReportPublic:
    """A raw forwarded e-mail (message/rfc822 body, or multipart field `file`)."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("send the e-mail as the field `file`")
        raw = await upload.read()
    else:
        raw = await request.body()
    done = await run_in_threadpool(intake.forward_eml, db, classifier, settings, actor=actor, raw=raw)
    return report_public(done.report, done.attachments, links=done.links)


@router.get("")
def list_reports(
    db: DbDep,
    actor: CurrentActor,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> ReportPage:
    """The caller's own reports, newest first."""
    return ReportPage(
        items=report_summaries(db, list_own(db, actor.user, limit=limit, offset=offset), actor.user)
    )


@router.get("/{report_id}")
def get_report(report_id: str, db: DbDep, actor: CurrentActor) -> ReportPublic:
    report, attachments = casework.view_report(db, actor=actor, report_id=report_id, channel="api")
    links = report_links(db, actor.user, [report])[report.id]
    return report_public(report, attachments, follow_ups_of(db, report.id), links)


@router.get("/{report_id}/attachments/{attachment_id}")
def get_attachment(report_id: str, attachment_id: str, db: DbDep, actor: CurrentActor) -> Response:
    attachment = casework.view_attachment(db, actor=actor, attachment_id=attachment_id)
    if attachment.report_id != report_id:
        raise InvalidInput("the attachment belongs to another report")
    return Response(
        attachment.content,
        media_type=attachment.media_type,
        headers={
            "Content-Disposition": "attachment",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.post("/{report_id}/claim")
def claim(report_id: str, db: DbDep, actor: ReviewerActor) -> ClaimPublic:
    report = casework.claim_report(db, actor=actor, report_id=report_id)
    return ClaimPublic(id=report.id, status=report.status, claimed_by=report.claimed_by_id)  # type: ignore[arg-type]


@router.post("/{report_id}/release")
def release(report_id: str, db: DbDep, actor: ReviewerActor) -> ClaimPublic:
    report = casework.release_report(db, actor=actor, report_id=report_id)
    return ClaimPublic(id=report.id, status=report.status, claimed_by=report.claimed_by_id)  # type: ignore[arg-type]


@router.post("/{report_id}/reviews", status_code=201)
def review(report_id: str, body: ReviewCreate, db: DbDep, actor: ReviewerActor) -> ReviewPublic:
    report, saved = casework.review_report(
        db,
        actor=actor,
        report_id=report_id,
        decision=body.decision,
        labels=list(body.labels) if body.labels is not None else None,
        severity=body.severity,
        target=body.target,
        note=body.note,
    )
    return ReviewPublic(
        id=saved.id,
        report_id=report.id,
        decision=body.decision,
        labels=saved.labels,
        severity=saved.severity,
        target=saved.target,
        note=saved.note,
        created_at=saved.created_at,
        status=report.status,  # type: ignore[arg-type]
    )


@router.post("/{report_id}/status")
def change_status(report_id: str, body: StatusChange, db: DbDep, actor: ReviewerActor) -> ClaimPublic:
    report = casework.change_status(db, actor=actor, report_id=report_id, status=body.status, note=body.note)
    return ClaimPublic(id=report.id, status=report.status, claimed_by=report.claimed_by_id)  # type: ignore[arg-type]


@router.post("/{report_id}/follow-ups", status_code=201)
def add_follow_up(report_id: str, body: FollowUpCreate, db: DbDep, actor: ReviewerActor) -> FollowUpPublic:
    """Record a step: registered in GIR, reported to the police (aangifte: registration number and
    date) or the platform, or not reported (with the reason in `note`). Audited; shown in the bundle."""
    step = casework.record_follow_up(
        db,
        actor=actor,
        report_id=report_id,
        kind=body.kind,
        reference=body.reference,
        occurred_at=body.occurred_at,
        note=body.note,
    )
    return follow_up_public(step, actor.user.email)


@router.get("/{report_id}/follow-ups")
def list_follow_ups(report_id: str, db: DbDep, actor: ReviewerActor) -> list[FollowUpPublic]:
    report = get_visible(db, actor.user, report_id)
    return [follow_up_public(step, by) for step, by in follow_ups_of(db, report.id)]
