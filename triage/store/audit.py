"""The append-only audit log: every view, change, decision and export, with who, when and from where."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.store.models import AuditEvent, User


@dataclass(frozen=True, slots=True)
class Actor:
    user: User
    remote_addr: str | None = None


def record(
    session: Session,
    *,
    actor: Actor | None,
    action: str,
    org_id: str | None,
    report_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        org_id=org_id,
        report_id=report_id,
        actor_id=actor.user.id if actor else None,
        action=action,
        detail=detail or {},
        remote_addr=actor.remote_addr if actor else None,
    )
    session.add(event)
    return event


def trail(session: Session, report_id: str) -> list[tuple[AuditEvent, str | None]]:
    rows = session.execute(
        select(AuditEvent, User.email)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.report_id == report_id)
        .order_by(AuditEvent.id)
    )
    return [(event, email) for event, email in rows.tuples()]
