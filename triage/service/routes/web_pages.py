from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from starlette.datastructures import UploadFile

from triage.engine.labels import SEVERITIES
from triage.errors import InvalidInput
from triage.evidence.aftercare import aftercare
from triage.evidence.dutch import FOLLOW_UPS
from triage.service import casework, intake
from triage.service.advice import advice_for
from triage.service.deps import (
    AdminActor,
    AuthDep,
    ClassifierDep,
    CurrentActor,
    DbDep,
    ReviewerActor,
    SettingsDep,
)
from triage.service.schemas import ReportCreate
from triage.service.uploads import IMAGE_TYPES
from triage.service.views import linked_reports, police_states, report_links, report_police
from triage.service.web import render_page
from triage.store import privacy
from triage.store.audit import trail
from triage.store.deadlines import POLICE_DECISIONS
from triage.store.followups import follow_ups_of
from triage.store.orgs import OrgSettings, get_org, update_settings
from triage.store.queue import QueueFilter, queue_page
from triage.store.reports import ReportFields, list_own
from triage.store.users import REVIEW_ROLES, list_users

router = APIRouter(include_in_schema=False)


def _base(auth: AuthDep) -> dict[str, Any]:
    return {"user": auth.user, "csrf_token": auth.csrf, "is_reviewer": auth.user.role in REVIEW_ROLES}


@router.get("/")
def home(auth: AuthDep) -> Response:
    return RedirectResponse("/queue" if auth.user.role in REVIEW_ROLES else "/mine", status_code=303)


@router.get("/queue")
def queue(
    request: Request,
    auth: AuthDep,
    actor: ReviewerActor,
    db: DbDep,
    min_severity: Annotated[str | None, Query(max_length=20)] = None,
    label: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    police_overdue: bool = False,
    campaign: Annotated[str | None, Query(max_length=64)] = None,
    author: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    filters = QueueFilter(
        min_severity=min_severity if min_severity in SEVERITIES else None,
        label=label or None,
        status=[status] if status else None,
        police_overdue=police_overdue,
        campaign=campaign or None,
        author=author or None,
    )
    rows, next_cursor = queue_page(db, org_id=actor.user.org_id, filters=filters, cursor=cursor, limit=50)
    context = _base(auth) | {
        "rows": rows,
        "police": police_states(db, rows),
        "links": report_links(db, auth.user, rows),
        "next_cursor": next_cursor,
        "filters": filters,
    }
    return render_page(request, "queue.html", context)


@router.get("/mine")
def mine(request: Request, auth: AuthDep, db: DbDep) -> Response:
    return render_page(request, "mine.html", _base(auth) | {"rows": list_own(db, auth.user, limit=100)})


@router.get("/reports/{report_id}")
def report_page(report_id: str, request: Request, auth: AuthDep, actor: CurrentActor, db: DbDep) -> Response:
    report, attachments = casework.view_report(db, actor=actor, report_id=report_id, channel="web")
    follow_ups = follow_ups_of(db, report.id)
    context = _base(auth) | {
        "follow_ups": follow_ups,
        "police": report_police(report, any(step.kind in POLICE_DECISIONS for step, _ in follow_ups)),
        "aftercare": aftercare(report.reviewed_severity or report.severity),
        "FOLLOW_UP_NL": FOLLOW_UPS,
        "report": report,
        "attachments": attachments,
        "images": [a for a in attachments if a.media_type in IMAGE_TYPES],
        "advice": advice_for(report.severity),  # type: ignore[arg-type]
        "trail": trail(db, report.id),
        "linked": linked_reports(db, auth.user, report),
        "blurred": report.severity in ("high", "critical"),
    }
    return render_page(request, "report.html", context)


@router.get("/attachments/{attachment_id}")
def attachment(attachment_id: str, actor: CurrentActor, db: DbDep) -> Response:
    item = casework.view_attachment(db, actor=actor, attachment_id=attachment_id)
    inline = item.media_type in IMAGE_TYPES
    return Response(
        item.content,
        media_type=item.media_type,
        headers={
            "Content-Disposition": "inline" if inline else "attachment",
            "Content-Security-Policy": "sandbox; default-src 'none'",
        },
    )


@router.post("/reports/{report_id}/claim")
def claim(report_id: str, actor: ReviewerActor, db: DbDep) -> Response:
    casework.claim_report(db, actor=actor, report_id=report_id)
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/review")
def review(
    report_id: str,
    actor: ReviewerActor,
    db: DbDep,
    decision: Annotated[str, Form(max_length=20)],
    severity: Annotated[str, Form(max_length=20)] = "",
    labels: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    if severity and severity not in SEVERITIES:
        raise InvalidInput("unknown severity")
    casework.review_report(
        db,
        actor=actor,
        report_id=report_id,
        decision=decision,
        labels=labels if decision == "correct" else None,
        severity=severity or None,
        note=note or None,
    )
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.post("/reports/{report_id}/follow-up")
def follow_up(
    report_id: str,
    actor: ReviewerActor,
    db: DbDep,
    kind: Annotated[str, Form(max_length=20)],
    reference: Annotated[str, Form(max_length=200)] = "",
    occurred_on: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str, Form(max_length=20_000)] = "",
) -> Response:
    try:
        occurred_at = datetime.fromisoformat(occurred_on) if occurred_on else None
    except ValueError as exc:
        raise InvalidInput("give the date as YYYY-MM-DD") from exc
    casework.record_follow_up(
        db,
        actor=actor,
        report_id=report_id,
        kind=kind,
        reference=reference or None,
        occurred_at=occurred_at,
        note=note or None,
    )
    return RedirectResponse(f"/reports/{report_id}#opvolging", status_code=303)


@router.get("/organisation")
def organisation_page(request: Request, auth: AuthDep, actor: AdminActor, db: DbDep) -> Response:
    context = {"org": get_org(db, actor.user.org_id), "users": list_users(db, actor.user.org_id)}
    return render_page(request, "organisation.html", _base(auth) | context)


@router.post("/organisation/users/{user_id}/erase")
def erase_user(
    user_id: str, actor: AdminActor, db: DbDep, reason: Annotated[str, Form(min_length=3, max_length=2_000)]
) -> Response:
    privacy.erase_user(db, actor=actor, user_id=user_id, reason=reason)
    return RedirectResponse("/organisation#users", status_code=303)


@router.post("/organisation")
def organisation_save(
    actor: AdminActor,
    db: DbDep,
    contact_address: Annotated[str, Form(max_length=1_000)] = "",
    contact_email: Annotated[str, Form(max_length=320)] = "",
    contact_phone: Annotated[str, Form(max_length=50)] = "",
    retention_days: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if retention_days.strip() and not retention_days.strip().isdigit():
        raise InvalidInput("the retention period is a number of days")
    days = int(retention_days) if retention_days.strip() else None
    changes = OrgSettings(contact_address, contact_email, contact_phone, days)
    update_settings(db, actor=actor, org=get_org(db, actor.user.org_id), changes=changes)
    db.commit()
    return RedirectResponse("/organisation", status_code=303)


@router.get("/forward")
def forward_form(request: Request, auth: AuthDep) -> Response:
    return render_page(request, "forward.html", _base(auth))


@router.post("/forward")
async def forward(
    request: Request,
    auth: AuthDep,
    actor: CurrentActor,
    db: DbDep,
    classifier: ClassifierDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form()
    data = {k: v for k, v in form.multi_items() if isinstance(v, str) and v != "" and k != "csrf_token"}
    try:
        body = ReportCreate.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(
            "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        ) from exc
    files = [
        (v.filename or "screenshot", await v.read())
        for k, v in form.multi_items()
        if k == "screenshot" and isinstance(v, UploadFile) and v.filename
    ]
    done = await run_in_threadpool(
        intake.forward,
        db,
        classifier,
        settings,
        actor=actor,
        fields=ReportFields(**body.model_dump()),
        files=files,
    )
    return RedirectResponse(f"/reports/{done.report.id}", status_code=303)
