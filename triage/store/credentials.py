"""Secrets handed to users (API tokens, web sessions, one-time login links), stored only as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Final, Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from triage.store.models import Credential, User
from triage.store.types import utcnow

Kind = Literal["token", "session", "login_link"]
PREFIX: Final[dict[str, str]] = {"token": "trg_", "session": "", "login_link": ""}
# An API token's `used_at` is its last use, written at most this often (one small UPDATE, not one per request).
LAST_USED_STEP: Final = timedelta(minutes=5)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def issue(
    session: Session, *, user: User, kind: Kind, ttl: timedelta | None = None
) -> tuple[str, Credential]:
    secret = PREFIX[kind] + secrets.token_urlsafe(32)
    credential = Credential(
        hash=digest(secret),
        kind=kind,
        user_id=user.id,
        csrf=secrets.token_urlsafe(32) if kind == "session" else None,
        expires_at=utcnow() + ttl if ttl is not None else None,
    )
    session.add(credential)
    session.flush()
    return secret, credential


def resolve(session: Session, secret: str, kind: Kind) -> tuple[User, Credential] | None:
    row = session.execute(
        select(User, Credential)
        .join(Credential, Credential.user_id == User.id)
        .where(Credential.hash == digest(secret), Credential.kind == kind)
    ).first()
    if row is None:
        return None
    user, credential = row.tuple()
    now = utcnow()
    if not user.active or (credential.expires_at is not None and credential.expires_at < now):
        return None
    if kind == "token" and (credential.used_at is None or now - credential.used_at >= LAST_USED_STEP):
        credential.used_at = now
    return user, credential


def consume_login_link(session: Session, secret: str) -> User | None:
    """A login link works once: the conditional UPDATE lets exactly one request win."""
    found = resolve(session, secret, "login_link")
    if found is None:
        return None
    user, credential = found
    used = session.execute(
        update(Credential)
        .where(Credential.hash == credential.hash, Credential.used_at.is_(None))
        .values(used_at=utcnow())
    )
    return user if used.rowcount == 1 else None  # type: ignore[attr-defined]


def revoke(session: Session, secret: str) -> None:
    credential = session.get(Credential, digest(secret))
    if credential is not None:
        session.delete(credential)
