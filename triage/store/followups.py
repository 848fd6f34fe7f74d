"""Follow-up steps after review: GIR registration, police report (aangifte), platform report, or not reported.

Each step is a row and an audit event. A police report or a decision not to report is the
"police decision" the two-working-day guideline asks for.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.errors import Forbidden, InvalidInput
from triage.store.audit import Actor, record
from triage.store.deadlines import POLICE_DECISIONS
from triage.store.models import FollowUp, Report, User
from triage.store.types import utcnow
from triage.store.users import REVIEW_ROLES
from triage.store.workflow import transition

KINDS: Final = ("gir", "police", "platform", "not_reported")
_REPORTING: Final = frozenset({"police", "platform"})  # these make a confirmed report "reported"


@dataclass(slots=True)
class FollowUpInput:
    kind: str
    reference: str | None = None
    occurred_at: datetime | None = None
    note: str | None = None


def _check(step: FollowUpInput) -> None:
    if step.kind not in KINDS:
        raise InvalidInput(f"unknown follow-up {step.kind!r}; choose one of {', '.join(KINDS)}")
    if step.kind == "police" and (not (step.reference or "").strip() or step.occurred_at is None):
        raise InvalidInput("a police report (aangifte) needs its registration number and date")
    if step.kind == "not_reported" and not (step.note or "").strip():
        raise InvalidInput("say why the report is not reported (note)")


def add_follow_up(session: Session, *, actor: Actor, report: Report, step: FollowUpInput) -> FollowUp:
    if actor.user.role not in REVIEW_ROLES:
        raise Forbidden("only reviewers record follow-up steps")
    if report.org_id != actor.user.org_id:
        raise Forbidden("not your organisation")
    _check(step)
    row = FollowUp(
        report_id=report.id,
        org_id=report.org_id,
        kind=step.kind,
        reference=(step.reference or "").strip() or None,
        occurred_at=step.occurred_at or utcnow(),
        note=(step.note or "").strip() or None,
        actor_id=actor.user.id,
    )
    session.add(row)
    session.flush()
    record(
        session,
        actor=actor,
        action="follow_up",
        org_id=report.org_id,
        report_id=report.id,
        detail={
            "follow_up": row.id,
            "kind": row.kind,
            "reference": row.reference,
            "occurred_at": row.occurred_at.isoformat(),
            "note": row.note,
        },
    )
    if step.kind in _REPORTING and report.status == "confirmed":
        transition(session, actor=actor, report=report, to="reported", note=f"follow-up: {step.kind}")
    return row


def follow_ups_of(session: Session, report_id: str) -> list[tuple[FollowUp, str | None]]:
    rows = session.execute(
        select(FollowUp, User.email)
        .outerjoin(User, User.id == FollowUp.actor_id)
        .where(FollowUp.report_id == report_id)
        .order_by(FollowUp.occurred_at, FollowUp.created_at)
    )
    return [(step, email) for step, email in rows.tuples()]


def police_decided(session: Session, report_ids: Iterable[str]) -> set[str]:
    """Of `report_ids`, those with a police report or a recorded decision not to report."""
    ids = list(report_ids)
    if not ids:
        return set()
    return set(
        session.scalars(
            select(FollowUp.report_id).where(FollowUp.report_id.in_(ids), FollowUp.kind.in_(POLICE_DECISIONS))
        )
    )
