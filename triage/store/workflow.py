"""Claims, reviews and the status flow; every transition is written to the audit log."""

from __future__ import annotations

from typing import Final

from sqlalchemy import or_, update
from sqlalchemy.orm import Session

from triage.errors import Conflict, Forbidden, InvalidInput
from triage.store.audit import Actor, record
from triage.store.models import Report, Review
from triage.store.types import utcnow
from triage.store.users import REVIEW_ROLES

TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    "new": frozenset({"in_review"}),
    "in_review": frozenset({"confirmed", "dismissed", "new"}),
    "confirmed": frozenset({"reported", "closed", "in_review"}),
    "dismissed": frozenset({"closed", "in_review"}),
    "reported": frozenset({"closed"}),
    "closed": frozenset(),
}
DECISIONS: Final[dict[str, str]] = {
    "confirm": "confirmed",
    "correct": "confirmed",
    "escalate": "confirmed",
    "dismiss": "dismissed",
}


def _require_reviewer(actor: Actor, report: Report) -> None:
    if actor.user.role not in REVIEW_ROLES:
        raise Forbidden("only reviewers work the queue")
    if report.org_id != actor.user.org_id:  # callers load via get_visible; this is a second lock
        raise Forbidden("not your organisation")


def transition(session: Session, *, actor: Actor, report: Report, to: str, note: str | None = None) -> None:
    if to not in TRANSITIONS:
        raise InvalidInput(f"unknown status {to!r}")
    if to not in TRANSITIONS[report.status]:
        raise Conflict(f"a report cannot go from {report.status} to {to}")
    before = report.status
    report.status = to
    report.updated_at = utcnow()
    report.closed_at = report.updated_at if to == "closed" else None
    detail = {"from": before, "to": to} | ({"note": note} if note else {})
    record(
        session, actor=actor, action="transition", org_id=report.org_id, report_id=report.id, detail=detail
    )


def claim(session: Session, *, actor: Actor, report: Report) -> None:
    """One reviewer at a time: the conditional UPDATE makes the second of two racing claims lose."""
    _require_reviewer(actor, report)
    if report.claimed_by_id == actor.user.id:
        return
    result = session.execute(
        update(Report)
        .where(
            Report.id == report.id,
            Report.claimed_by_id.is_(None),
            or_(Report.status == "new", Report.status == "in_review"),
        )
        .values(claimed_by_id=actor.user.id, claimed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("this report is already claimed or no longer open")
    session.refresh(report)
    record(session, actor=actor, action="claim", org_id=report.org_id, report_id=report.id)
    if report.status == "new":
        transition(session, actor=actor, report=report, to="in_review")


def release(session: Session, *, actor: Actor, report: Report) -> None:
    _require_reviewer(actor, report)
    if report.claimed_by_id != actor.user.id:
        raise Conflict("you do not hold this report")
    report.claimed_by_id = None
    report.claimed_at = None
    record(session, actor=actor, action="release", org_id=report.org_id, report_id=report.id)
    if report.status == "in_review":
        transition(session, actor=actor, report=report, to="new")


def add_review(
    session: Session,
    *,
    actor: Actor,
    report: Report,
    decision: str,
    labels: list[str] | None = None,
    severity: str | None = None,
    target: str | None = None,
    note: str | None = None,
) -> Review:
    _require_reviewer(actor, report)
    if decision not in DECISIONS:
        raise InvalidInput(f"unknown decision {decision!r}")
    if report.status not in ("new", "in_review"):
        raise Conflict(f"the report is already {report.status}")
    if report.claimed_by_id is None or report.status == "new":
        claim(session, actor=actor, report=report)
    elif report.claimed_by_id != actor.user.id:
        raise Conflict("another reviewer holds this report")
    review = Review(
        report_id=report.id,
        reviewer_id=actor.user.id,
        decision=decision,
        labels=labels,
        severity=severity,
        target=target,
        note=note,
    )
    session.add(review)
    if severity:
        report.reviewed_severity = severity
    record(
        session,
        actor=actor,
        action="review",
        org_id=report.org_id,
        report_id=report.id,
        detail={"decision": decision, "labels": labels, "severity": severity, "target": target},
    )
    transition(session, actor=actor, report=report, to=DECISIONS[decision], note=note)
    report.claimed_by_id = None
    report.claimed_at = None
    return review


def set_status(
    session: Session, *, actor: Actor, report: Report, status: str, note: str | None = None
) -> None:
    _require_reviewer(actor, report)
    if status in ("confirmed", "dismissed"):
        raise InvalidInput("confirm or dismiss a report with a review")
    transition(session, actor=actor, report=report, to=status, note=note)
