"""API tokens of one user, as an admin sees them: listed by a short id (the start of the stored hash,
never any part of the secret), created (the secret is returned once, only its hash is stored) and
revoked. Creating and revoking are audit events."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.errors import Conflict, NotFound
from triage.store import credentials
from triage.store.audit import Actor, record
from triage.store.models import Credential, User

ID_LENGTH: Final = 12
_TOKEN_ID: Final = re.compile(rf"^[0-9a-f]{{{ID_LENGTH}}}$")


@dataclass(frozen=True, slots=True)
class TokenInfo:
    id: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


def _info(credential: Credential) -> TokenInfo:
    return TokenInfo(
        id=credential.hash[:ID_LENGTH],
        prefix=credentials.PREFIX["token"],
        created_at=credential.created_at,
        last_used_at=credential.used_at,
    )


def _credentials(session: Session, user_ids: list[str]) -> list[Credential]:
    if not user_ids:
        return []
    return list(
        session.scalars(
            select(Credential)
            .where(Credential.user_id.in_(user_ids), Credential.kind == "token")
            .order_by(Credential.created_at, Credential.hash)
        )
    )


def tokens_by_user(session: Session, users: list[User]) -> dict[str, list[TokenInfo]]:
    found: dict[str, list[TokenInfo]] = {user.id: [] for user in users}
    for credential in _credentials(session, [user.id for user in users]):
        found[credential.user_id].append(_info(credential))
    return found


def create_token(session: Session, *, actor: Actor, user: User) -> tuple[str, TokenInfo]:
    """A new API token for `user`: (the secret, to show once, and its listing)."""
    if not user.active or user.erased_at is not None:
        raise Conflict("activate the user before giving them a token")
    secret, credential = credentials.issue(session, user=user, kind="token")
    info = _info(credential)
    record(
        session,
        actor=actor,
        action="token_create",
        org_id=user.org_id,
        detail={"user": user.id, "token": info.id},
    )
    return secret, info


def revoke_token(session: Session, *, actor: Actor, user: User, token_id: str) -> None:
    matches = [c for c in _credentials(session, [user.id]) if c.hash.startswith(token_id)]
    if not _TOKEN_ID.match(token_id) or not matches:
        raise NotFound("no such token")
    if len(matches) > 1:  # twelve hex digits of SHA-256 coincide: practically never
        raise Conflict("the token id is ambiguous")
    session.delete(matches[0])
    record(
        session,
        actor=actor,
        action="token_revoke",
        org_id=user.org_id,
        detail={"user": user.id, "token": token_id},
    )
