"""What the admin's Gebruikers page does, each as one committed, audited step: add a user (with a
one-time login link, as `triage users add` prints), change a role, (de)activate, hand out a new login
link, create and revoke API tokens. The secrets are returned once and stored only as hashes."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from triage.config import Settings
from triage.errors import Conflict
from triage.service.bootstrap import login_link
from triage.store import tokens, user_admin
from triage.store.audit import Actor, record
from triage.store.models import User


@dataclass(frozen=True, slots=True)
class Secret:
    """A secret for `user` to pass on now: a login link or an API token. It is not shown again."""

    user: User
    kind: str  # "login_link" | "token"
    value: str


def add_user(db: Session, settings: Settings, *, actor: Actor, email: str, role: str) -> Secret:
    user = user_admin.add_org_user(db, actor=actor, email=email, role=role)
    db.commit()
    return Secret(user, "login_link", login_link(db, email=user.email, base_url=settings.public_url))


def new_login_link(db: Session, settings: Settings, *, actor: Actor, user_id: str) -> Secret:
    user = user_admin.org_user(db, actor=actor, user_id=user_id)
    if not user.active or user.erased_at is not None:
        raise Conflict("activate the user before sending a login link")
    record(db, actor=actor, action="login_link", org_id=user.org_id, detail={"user": user.id})
    return Secret(user, "login_link", login_link(db, email=user.email, base_url=settings.public_url))


def change_role(db: Session, *, actor: Actor, user_id: str, role: str) -> None:
    user_admin.change_role(db, actor=actor, user_id=user_id, role=role)
    db.commit()


def set_active(db: Session, *, actor: Actor, user_id: str, active: bool) -> None:
    user_admin.set_active(db, actor=actor, user_id=user_id, active=active)
    db.commit()


def create_token(db: Session, *, actor: Actor, user_id: str) -> Secret:
    user = user_admin.org_user(db, actor=actor, user_id=user_id)
    secret, _ = tokens.create_token(db, actor=actor, user=user)
    db.commit()
    return Secret(user, "token", secret)


def revoke_token(db: Session, *, actor: Actor, user_id: str, token_id: str) -> None:
    user = user_admin.org_user(db, actor=actor, user_id=user_id)
    tokens.revoke_token(db, actor=actor, user=user, token_id=token_id)
    db.commit()
