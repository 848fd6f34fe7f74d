"""Lock-out after failed logins, kept as audit events so that it holds across processes and restarts."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triage.store.audit import Actor, record
from triage.store.models import AuditEvent, User
from triage.store.types import utcnow

FAILED = "login_failed"


def recent_failures(session: Session, user: User, *, minutes: int) -> int:
    """Failed logins of `user` within the last `minutes`, counted since their last successful login."""
    since = utcnow() - timedelta(minutes=minutes)
    last_login = session.scalar(
        select(func.max(AuditEvent.created_at)).where(
            AuditEvent.org_id == user.org_id, AuditEvent.actor_id == user.id, AuditEvent.action == "login"
        )
    )
    if last_login is not None and last_login > since:
        since = last_login
    count = session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.org_id == user.org_id,
            AuditEvent.actor_id == user.id,
            AuditEvent.action == FAILED,
            AuditEvent.created_at > since,
        )
    )
    return int(count or 0)


def is_locked(session: Session, user: User, *, failures: int, minutes: int) -> bool:
    return failures > 0 and recent_failures(session, user, minutes=minutes) >= failures


def record_failure(session: Session, user: User, *, remote_addr: str | None) -> None:
    record(
        session,
        actor=Actor(user=user, remote_addr=remote_addr),
        action=FAILED,
        org_id=user.org_id,
        detail={"how": "password"},
    )
