"""Organisations, users and roles, with argon2 password hashes."""

from __future__ import annotations

from typing import Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triage.errors import Conflict, InvalidInput
from triage.store.models import Organisation, User

ROLES: Final = ("reporter", "reviewer", "admin")
REVIEW_ROLES: Final = frozenset({"reviewer", "admin"})

_hasher = PasswordHasher()
# Verifying against this keeps the time of a login for an unknown e-mail like that of a known one.
_DUMMY_HASH: Final = _hasher.hash("not-a-password")


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320 or any(c.isspace() for c in email):
        raise InvalidInput(f"not an e-mail address: {email!r}")
    return email


def get_or_create_org(session: Session, name: str) -> Organisation:
    name = name.strip()
    if not name:
        raise InvalidInput("the organisation needs a name")
    org = session.scalar(select(Organisation).where(Organisation.name == name))
    if org is None:
        org = Organisation(name=name)
        session.add(org)
        session.flush()
    return org


def add_user(session: Session, *, email: str, org_name: str, role: str, password: str | None) -> User:
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    email = normalise_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise Conflict(f"a user with e-mail {email} already exists")
    if password is not None and len(password) < 8:
        raise InvalidInput("a password needs at least 8 characters")
    org = get_or_create_org(session, org_name)
    user = User(
        org_id=org.id,
        email=email,
        role=role,
        password_hash=_hasher.hash(password) if password is not None else None,
    )
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    if len(password) < 8:
        raise InvalidInput("a password needs at least 8 characters")
    user.password_hash = _hasher.hash(password)


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = find_user(session, email)
    stored = user.password_hash if user is not None and user.active and user.password_hash else None
    try:
        _hasher.verify(stored or _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if stored else None


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def list_users(session: Session, org_id: str) -> list[User]:
    return list(session.scalars(select(User).where(User.org_id == org_id).order_by(User.email)))
