"""The admin's Modellen page: the registry's versions, figures and gate verdicts, which one is current and
served, and promote / roll back through the same code as the API and the CLI (hot swap, audited)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from triage.errors import Conflict, InvalidInput, NotFound
from triage.service import model_admin
from triage.service.deps import AdminActor, AuthDep, DbDep, StateDep
from triage.service.model_views import models_view
from triage.service.routes.api_models import OptionalLiveDep, live_model
from triage.service.web import base_context, render_page

router = APIRouter(include_in_schema=False)
PAGE = "/admin/models"
REFUSED = (Conflict, InvalidInput, NotFound)


def _page(
    request: Request,
    auth: AuthDep,
    live: OptionalLiveDep,
    state: StateDep,
    *,
    result: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    context = base_context(auth) | {
        "models": models_view(live) if live is not None else None,
        "fixed_model": state.classifier.model_info,
        "result": result,
        "error": error,
    }
    return render_page(request, "admin_models.html", context, status_code=status_code)


@router.get(PAGE)
def models_page(
    request: Request, auth: AuthDep, _actor: AdminActor, live: OptionalLiveDep, state: StateDep
) -> Response:
    return _page(request, auth, live, state)


@router.post(PAGE + "/promote")
def promote(
    request: Request,
    auth: AuthDep,
    actor: AdminActor,
    db: DbDep,
    live: OptionalLiveDep,
    state: StateDep,
    version: Annotated[str, Form(max_length=100)],
    reason: Annotated[str, Form(max_length=2000)] = "",
    force: Annotated[bool, Form()] = False,
) -> Response:
    """Promote a version (its gate may run again first, which takes a while); the server swaps at once."""
    try:
        entry = model_admin.promote_version(
            db, live_model(live), actor=actor, version=version, force=force, reason=reason or None
        )
    except REFUSED as exc:
        return _page(request, auth, live, state, error=exc.message, status_code=exc.status)
    return _page(request, auth, live, state, result=entry)


@router.post(PAGE + "/rollback")
def rollback(
    request: Request,
    auth: AuthDep,
    actor: AdminActor,
    db: DbDep,
    live: OptionalLiveDep,
    state: StateDep,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        entry = model_admin.rollback_version(db, live_model(live), actor=actor, reason=reason or None)
    except REFUSED as exc:
        return _page(request, auth, live, state, error=exc.message, status_code=exc.status)
    return _page(request, auth, live, state, result=entry)
