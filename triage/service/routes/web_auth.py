from __future__ import annotations

import hmac
import secrets
from datetime import timedelta
from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from triage.config import Settings
from triage.errors import Forbidden
from triage.service.deps import SESSION_COOKIE, AuthDep, DbDep, OptionalAuthDep, SettingsDep
from triage.service.web import render_page
from triage.store import credentials, lockout
from triage.store.audit import Actor, record
from triage.store.models import User
from triage.store.users import authenticate, find_user

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


def _check_password(
    db: Session, settings: Settings, email: str, password: str, remote: str | None
) -> tuple[User | None, bool]:
    """(the user or None, whether the account is locked). A locked account is refused without even
    checking the password; each failure of a known account counts towards the lock-out."""
    known = find_user(db, email)
    if known is not None and lockout.is_locked(
        db, known, failures=settings.lockout_failures, minutes=settings.lockout_minutes
    ):
        db.commit()
        return None, True
    user = authenticate(db, email, password)
    if user is None and known is not None:
        lockout.record_failure(db, known, remote_addr=remote)
    db.commit()
    return user, False


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
    remote = request.client.host if request.client else None
    user, locked = await run_in_threadpool(_check_password, db, settings, email, password, remote)
    if user is None:
        token = secrets.token_urlsafe(32)
        response = render_page(
            request,
            "login.html",
            {"csrf_token": token, "failed": True, "locked": locked, "email": email},
            status_code=429 if locked else 401,
        )
        response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", max_age=3600)
        return response
    return _start_session(db, settings, request, user, "password")


@router.get("/login/once/{secret}")
def login_once(secret: str, request: Request) -> Response:
    # A GET only shows a button: link scanners that prefetch URLs must not use up the one-time link.
    # The button's form carries a CSRF token too: no other site can log a browser in with its own link.
    token = secrets.token_urlsafe(32)
    response = render_page(request, "login_once.html", {"secret": secret, "csrf_token": token})
    response.set_cookie(LOGIN_CSRF, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/login/once/{secret}")
def login_once_use(
    secret: str,
    request: Request,
    db: DbDep,
    settings: SettingsDep,
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    cookie = request.cookies.get(LOGIN_CSRF, "")
    if not cookie or not csrf_token or not hmac.compare_digest(cookie, csrf_token):
        raise Forbidden("the login form expired; open the link again")
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
