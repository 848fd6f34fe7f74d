"""Evidence bundles: one report, or several (ids, a campaign, an author), as a signed ZIP; the public key."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask

from triage.service import evidence
from triage.service.deps import CurrentActor, DbDep, ReviewerActor, SettingsDep
from triage.service.schemas import BundleRequest
from triage.store.reports import get_visible

router = APIRouter(prefix="/api/v1", tags=["evidence"])

ZIP_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {}}, "description": "The signed evidence bundle."}
}


def _download(export: evidence.BundleExport) -> FileResponse:
    return FileResponse(
        export.path,
        media_type="application/zip",
        filename=export.filename,
        headers={"X-Bundle-Id": export.bundle_id, "X-Key-Id": export.key_id},
        background=BackgroundTask(evidence.discard, export.path),
    )


@router.get("/reports/{report_id}/bundle", responses=ZIP_RESPONSE, response_class=FileResponse)
def report_bundle(
    report_id: str,
    db: DbDep,
    settings: SettingsDep,
    actor: ReviewerActor,
    reason: Annotated[str | None, Query(max_length=2_000)] = None,
) -> FileResponse:
    """The evidence bundle of one report (reviewers and admins of its organisation)."""
    report = get_visible(db, actor.user, report_id)
    return _download(evidence.export_to_temporary(db, settings, reports=[report], actor=actor, reason=reason))


@router.post("/bundles", responses=ZIP_RESPONSE, response_class=FileResponse)
def bundle(body: BundleRequest, db: DbDep, settings: SettingsDep, actor: ReviewerActor) -> FileResponse:
    """One bundle of several reports: `report_ids`, a `campaign` (a report and its duplicates) or
    everything from one `author` handle, within the caller's organisation."""
    reports = evidence.select_reports(
        db, actor.user, report_ids=body.report_ids, campaign=body.campaign, author=body.author
    )
    return _download(
        evidence.export_to_temporary(db, settings, reports=reports, actor=actor, reason=body.reason)
    )


@router.get(
    "/keys/public",
    responses={200: {"content": {"application/x-pem-file": {}}}},
    response_class=Response,
)
def public_key(settings: SettingsDep, actor: CurrentActor) -> Response:
    """The organisation's Ed25519 public key (PEM): `triage bundle verify --public-key` checks who signed."""
    pem, key_id = evidence.public_key_pem(settings, actor.user)
    return Response(
        pem,
        media_type="application/x-pem-file",
        headers={
            "X-Key-Id": key_id,
            "Content-Disposition": 'attachment; filename="signing-key.pub.pem"',
        },
    )
