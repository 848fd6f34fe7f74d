from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from triage.errors import Forbidden
from triage.service.deps import SESSION_COOKIE, AuthDep, DbDep, OptionalAuthDep, SettingsDep
from triage.service.web import render_page
from triage.store import credentials
from triage.store.audit import Actor, record
from triage.store.models import User
from triage.store.users import authenticate

router = APIRouter(include_in_schema=False)
LOGIN_CSRF: Final = "triage_login_csrf"


def _start_session(db: DbDep, settings: SettingsDep, request: Request, user: User, how: str) -> Response:
    secret, _ = credentials.issue(db, user=user, kind="session", ttl=timedelta(hours=settings.session_hours))
    actor = Actor(user=user, remote_addr=request.client.host if request.client else None)
    record(db, actor=actor, action="login", org_id=user.org_id, detail={"how": how})
    db.commit()
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
    )
    response.delete_cookie(LOGIN_CSRF)
    return response


@router.get("/login")
def login_form(request: Request, auth: OptionalAuthDep) -> Response:
    if auth is not None:
        return RedirectResponse("/", status_code=303)
    token = secrets.token_urlsafe(32)
    response = render_page(request, "login.html", {"csrf_token": token})
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login")
async def login(
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not hmac.compare_digest(cookie, csrf_token):
        raise Forbidden("the login form expired; reload the page")
    user = await run_in_threadpool(authenticate, db, email, password)
    if user is None:
        token = secrets.token_urlsafe(32)
        response = render_page(
            request, "login.html", {"csrf_token": token, "failed": True, "email": email}, status_code=401
        )
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", max_age=3600)
        return response
    return _start_session(db, settings, request, user, "password")


@router.get("/login/once/{secret}")
def login_once(secret: str, request: Request) -> Response:
    # A GET only shows a button: link scanners that prefetch URLs must not use up the one-time link.
    return render_page(request, "login_once.html", {"secret": secret})


@router.post("/login/once/{secret}")
def login_once_use(secret: str, request: Request, db: DbDep, settings: SettingsDep) -> Response:
    user = credentials.consume_login_link(db, secret)
    if user is None:
        raise Forbidden("this login link is invalid, expired or already used")
    return _start_session(db, settings, request, user, "login_link")


@router.post("/logout")
def logout(auth: AuthDep, db: DbDep) -> Response:
    if auth.secret:
        credentials.revoke(db, auth.secret)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
