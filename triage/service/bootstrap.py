"""First start: with no users at all, create an admin and hand out a one-time login link."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from triage.store import credentials
from triage.store.users import add_user, count_users, find_user

FIRST_ADMIN = "admin@localhost"


def login_link(db: Session, *, email: str, base_url: str, hours: int = 24) -> str:
    user = find_user(db, email)
    if user is None:
        raise LookupError(email)
    secret, _ = credentials.issue(db, user=user, kind="login_link", ttl=timedelta(hours=hours))
    db.commit()
    return f"{base_url.rstrip('/')}/login/once/{secret}"


def first_admin_link(db: Session, *, base_url: str) -> str | None:
    if count_users(db) > 0:
        return None
    add_user(db, email=FIRST_ADMIN, org_name="Mijn organisatie", role="admin", password=None)
    db.commit()
    return login_link(db, email=FIRST_ADMIN, base_url=base_url)
