"""The admin's Gebruikers page: the organisation's users with role and status, their API tokens, and
forms to add a user, change a role, (de)activate, send a login link, create and revoke tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from triage.errors import Conflict, InvalidInput
from triage.service import accounts
from triage.service.deps import AdminActor, AuthDep, DbDep, SettingsDep
from triage.service.web import base_context, render_page
from triage.store.tokens import tokens_by_user
from triage.store.users import ROLES, list_users

router = APIRouter(include_in_schema=False)
PAGE = "/admin/users"


def _page(
    request: Request,
    auth: AuthDep,
    db: DbDep,
    *,
    secret: accounts.Secret | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    users = list_users(db, auth.user.org_id)
    context = base_context(auth) | {
        "users": users,
        "tokens": tokens_by_user(db, users),
        "ROLES": ROLES,
        "secret": secret,
        "error": error,
    }
    return render_page(request, "admin_users.html", context, status_code=status_code)


@router.get(PAGE)
def users_page(request: Request, auth: AuthDep, _actor: AdminActor, db: DbDep) -> Response:
    return _page(request, auth, db)


@router.post(PAGE)
def add_user(
    request: Request,
    auth: AuthDep,
    actor: AdminActor,
    db: DbDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=20)],
) -> Response:
    """Shows the new user's one-time login link in the answer itself: it is not stored, only its hash."""
    try:
        secret = accounts.add_user(db, settings, actor=actor, email=email, role=role)
    except (InvalidInput, Conflict) as exc:
        db.rollback()
        return _page(request, auth, db, error=exc.message, status_code=exc.status)
    return _page(request, auth, db, secret=secret, status_code=201)


@router.post(PAGE + "/{user_id}/role")
def change_role(
    user_id: str, actor: AdminActor, db: DbDep, role: Annotated[str, Form(max_length=20)]
) -> Response:
    accounts.change_role(db, actor=actor, user_id=user_id, role=role)
    return RedirectResponse(f"{PAGE}#user-{user_id}", status_code=303)


@router.post(PAGE + "/{user_id}/deactivate")
def deactivate(user_id: str, actor: AdminActor, db: DbDep) -> Response:
    accounts.set_active(db, actor=actor, user_id=user_id, active=False)
    return RedirectResponse(f"{PAGE}#user-{user_id}", status_code=303)


@router.post(PAGE + "/{user_id}/activate")
def activate(user_id: str, actor: AdminActor, db: DbDep) -> Response:
    accounts.set_active(db, actor=actor, user_id=user_id, active=True)
    return RedirectResponse(f"{PAGE}#user-{user_id}", status_code=303)


@router.post(PAGE + "/{user_id}/login-link")
def login_link(
    user_id: str, request: Request, auth: AuthDep, actor: AdminActor, db: DbDep, settings: SettingsDep
) -> Response:
    secret = accounts.new_login_link(db, settings, actor=actor, user_id=user_id)
    return _page(request, auth, db, secret=secret)


@router.post(PAGE + "/{user_id}/tokens")
def create_token(user_id: str, request: Request, auth: AuthDep, actor: AdminActor, db: DbDep) -> Response:
    """Shows the new token once, in this answer; only its hash is stored."""
    secret = accounts.create_token(db, actor=actor, user_id=user_id)
    return _page(request, auth, db, secret=secret, status_code=201)


@router.post(PAGE + "/{user_id}/tokens/{token_id}/revoke")
def revoke_token(user_id: str, token_id: str, actor: AdminActor, db: DbDep) -> Response:
    accounts.revoke_token(db, actor=actor, user_id=user_id, token_id=token_id)
    return RedirectResponse(f"{PAGE}#user-{user_id}", status_code=303)
