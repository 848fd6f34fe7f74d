"""Typed dependencies: the database session, the engine, and who is calling (with CSRF for cookies)."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated, Final

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from triage.config import Settings
from triage.errors import Forbidden, Unauthorized
from triage.ports import Classifier
from triage.service.state import AppState
from triage.store import credentials
from triage.store.audit import Actor
from triage.store.models import Credential, User
from triage.store.users import REVIEW_ROLES

SESSION_COOKIE: Final = "triage_session"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


async def get_state(request: Request) -> AppState:
    # The dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the
    # thread pool, and those hops cost more than the work (about 0.3 ms per request in all).
    state: AppState = request.app.state.triage
    return state


StateDep = Annotated[AppState, Depends(get_state)]


async def get_settings_dep(state: StateDep) -> Settings:
    return state.settings


async def get_classifier(state: StateDep) -> Classifier:
    return state.classifier


async def get_db(state: StateDep) -> AsyncIterator[Session]:
    # Opening a session does no I/O (it connects on its first query) and neither does closing one whose
    # transaction has ended, as every writing route's has; only a session still in a transaction (a
    # read-only route, an error) is closed in the thread pool, where its rollback may wait on the database.
    session = state.sessions()
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
ClassifierDep = Annotated[Classifier, Depends(get_classifier)]
DbDep = Annotated[Session, Depends(get_db)]


@dataclass(frozen=True, slots=True)
class Auth:
    user: User
    via: str  # "token" or "session"
    csrf: str | None = None
    secret: str | None = None


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def _lookup(state: AppState, secret: str, kind: credentials.Kind) -> tuple[User, Credential] | None:
    """The secret's user and credential, in a transaction of its own that ends at once: on SQLite every
    transaction holds the write lock (BEGIN IMMEDIATE), which must not stay held while the request
    awaits its body."""
    with state.sessions() as session:
        found = credentials.resolve(session, secret, kind)
        session.commit()  # records the token's last use (at most every few minutes)
    return found


async def token_user(state: AppState, secret: str) -> User | None:
    """The user of an API token: from the process's token cache (no database round trip), else looked
    up in the thread pool and cached for `settings.token_cache_seconds` (see triage.service.auth_cache)."""
    digest = credentials.digest(secret)
    user = state.tokens.get(digest)
    if user is not None:
        return user
    generation = state.tokens.generation
    found = await run_in_threadpool(_lookup, state, secret, "token")
    if found is None:
        return None
    state.tokens.put(digest, found[0], found[1].expires_at, generation)
    return found[0]


async def optional_auth(request: Request, state: StateDep) -> Auth | None:
    token = _bearer(request)
    if token is not None:
        user = await token_user(state, token)
        if user is None:
            raise Unauthorized("invalid or expired token")
        return Auth(user=user, via="token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        found = await run_in_threadpool(_lookup, state, cookie, "session")
        if found is not None:
            return Auth(user=found[0], via="session", csrf=found[1].csrf, secret=cookie)
    return None


OptionalAuthDep = Annotated[Auth | None, Depends(optional_auth)]


async def require_auth(request: Request, auth: OptionalAuthDep) -> Auth:
    if auth is None:
        raise Unauthorized("log in or send an API token")
    if auth.via == "session" and request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            form = await request.form()
            value = form.get("csrf_token")
            sent = value if isinstance(value, str) else None
        if not sent or not auth.csrf or not hmac.compare_digest(sent, auth.csrf):
            raise Forbidden("missing or wrong CSRF token")
    return auth


AuthDep = Annotated[Auth, Depends(require_auth)]


async def current_actor(request: Request, auth: AuthDep) -> Actor:
    return Actor(user=auth.user, remote_addr=request.client.host if request.client else None)


async def reviewer_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    if actor.user.role not in REVIEW_ROLES:
        raise Forbidden("only reviewers and admins may do this")
    return actor


async def admin_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    if actor.user.role != "admin":
        raise Forbidden("only admins may do this")
    return actor


CurrentActor = Annotated[Actor, Depends(current_actor)]
ReviewerActor = Annotated[Actor, Depends(reviewer_actor)]
AdminActor = Annotated[Actor, Depends(admin_actor)]
