"""An admin manages the users of their own organisation: add, change role, deactivate and reactivate.

Every change is an audit event. A user of another organisation does not exist here (NotFound). An
admin cannot change their own role or deactivate themselves (ask another admin), so no organisation
locks itself out by accident; an erased account stays erased.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from triage.errors import Conflict, Forbidden, InvalidInput, NotFound
from triage.store.audit import Actor, record
from triage.store.models import Credential, User
from triage.store.orgs import get_org
from triage.store.users import ROLES, add_user


def _require_admin(actor: Actor) -> None:
    if actor.user.role != "admin":
        raise Forbidden("only admins manage users")


def org_user(session: Session, *, actor: Actor, user_id: str) -> User:
    """A user of the actor's organisation; any other id answers as if it did not exist."""
    _require_admin(actor)
    user = session.get(User, user_id) if len(user_id) <= 64 else None
    if user is None or user.org_id != actor.user.org_id:
        raise NotFound("no such user")
    return user


def _changeable(actor: Actor, user: User) -> None:
    if user.id == actor.user.id:
        raise Conflict("an admin cannot change their own role or status; ask another admin")
    if user.erased_at is not None:
        raise Conflict("this user was erased")


def add_org_user(session: Session, *, actor: Actor, email: str, role: str) -> User:
    """A new user without a password in the actor's organisation (they log in with a one-time link)."""
    _require_admin(actor)
    org = get_org(session, actor.user.org_id)
    user = add_user(session, email=email, org_name=org.name, role=role, password=None)
    record(
        session,
        actor=actor,
        action="user_add",
        org_id=org.id,
        detail={"user": user.id, "email": user.email, "role": role},
    )
    return user


def change_role(session: Session, *, actor: Actor, user_id: str, role: str) -> User:
    user = org_user(session, actor=actor, user_id=user_id)
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    _changeable(actor, user)
    if user.role != role:
        record(
            session,
            actor=actor,
            action="user_role",
            org_id=user.org_id,
            detail={"user": user.id, "from": user.role, "to": role},
        )
        user.role = role
    return user


def set_active(session: Session, *, actor: Actor, user_id: str, active: bool) -> User:
    """Deactivating ends the user's web sessions and unused login links at once; their API tokens stop
    working while the account is inactive (they stay listed, to revoke or to work again on reactivation)."""
    user = org_user(session, actor=actor, user_id=user_id)
    _changeable(actor, user)
    if user.active == active:
        return user
    user.active = active
    if not active:
        session.execute(
            delete(Credential).where(
                Credential.user_id == user.id, Credential.kind.in_(("session", "login_link"))
            )
        )
    action = "user_activate" if active else "user_deactivate"
    record(session, actor=actor, action=action, org_id=user.org_id, detail={"user": user.id})
    return user
