"""Reviewed labels as training data: confirmed and corrected decisions, in the project's JSONL format.

One line per reviewed report whose latest decision is confirm or correct, with the reviewer's labels,
severity and target where given and the machine verdict's otherwise, made consistent with the
severity rubric, and a `provenance` object: report, review, reviewer, decision, when, and the
model that made the verdict. Dismissed, escalated-only, purged and duplicate reports are left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import IO, Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.engine.labels import ATTACK_LABELS, LABELS, SEVERITIES, TARGETS
from triage.store.audit import Actor, record
from triage.store.models import Report, Review

EXPORTED_DECISIONS: Final = ("confirm", "correct")
# The least severity each attack label implies (the rubric in docs/domain.md).
MIN_SEVERITY: Final = {
    "threat": "high",
    "incitement": "high",
    "doxxing": "high",
    "sexual": "medium",
    "identity_hate": "medium",
    "insult": "low",
}
PLATFORMS: Final = frozenset(
    {"x", "facebook", "instagram", "tiktok", "youtube", "whatsapp", "telegram", "email"}
)


def _consistent(labels: list[str], severity: str) -> tuple[str, str]:
    """(severity, kind) agreeing with the rubric: attack labels set a floor, no attack a ceiling."""
    attacks = ATTACK_LABELS & set(labels)
    rank = SEVERITIES.index(severity) if severity in SEVERITIES else 0
    for label in attacks:
        rank = max(rank, SEVERITIES.index(MIN_SEVERITY[label]))
    if not attacks:
        rank = min(rank, SEVERITIES.index("low")) if labels else 0
        return SEVERITIES[rank], "profanity" if labels == ["profanity"] else "benign"
    return SEVERITIES[rank], "attack"


def reviewed_record(report: Report, review: Review) -> dict[str, Any]:
    verdict = report.verdict or {}
    given = review.labels if review.labels is not None else list(verdict.get("flags", []))
    labels: list[str] = [label for label in LABELS if label in set(given)]
    severity, kind = _consistent(labels, review.severity or str(verdict.get("severity", "none")))
    target = review.target or str(verdict.get("target", "none"))
    language = str(verdict.get("language", "nl"))
    return {
        "id": f"review-{review.id}",
        "text": report.text,
        "labels": labels,
        "severity": severity,
        "target": target if target in TARGETS else "none",
        "platform": report.platform if report.platform in PLATFORMS else "other",
        "lang": language if language in ("nl", "en") else "nl",
        "kind": kind,
        "provenance": {
            "source": "review",
            "report_id": report.id,
            "review_id": review.id,
            "reviewer_id": review.reviewer_id,
            "decision": review.decision,
            "reviewed_at": review.created_at.isoformat(),
            "org_id": report.org_id,
            "model": {"name": report.model_name, "version": report.model_version},
            "machine_flags": list(verdict.get("flags", [])),
            "machine_severity": verdict.get("severity"),
        },
    }


def reviewed_records(
    session: Session, *, org_id: str | None = None, since: datetime | None = None
) -> Iterator[dict[str, Any]]:
    query = (
        select(Report, Review)
        .join(Review, Review.report_id == Report.id)
        .where(Report.purged_at.is_(None), Report.duplicate_of_id.is_(None))
        .order_by(Report.id, Review.created_at, Review.id)
    )
    if org_id is not None:
        query = query.where(Report.org_id == org_id)
    if since is not None:
        query = query.where(Review.created_at >= since)
    latest: dict[str, tuple[Report, Review]] = {}
    for report, review in session.execute(query).tuples():
        latest[report.id] = (report, review)  # ordered by time: the last decision wins
    for report, review in latest.values():
        if review.decision in EXPORTED_DECISIONS and report.text.strip():
            yield reviewed_record(report, review)


def export_reviewed(
    session: Session,
    stream: IO[str],
    *,
    actor: Actor | None = None,
    org_id: str | None = None,
    since: datetime | None = None,
) -> int:
    """Write the JSONL to `stream`, audit the export, and return the number of lines."""
    count = 0
    for line in reviewed_records(session, org_id=org_id, since=since):
        stream.write(json.dumps(line, ensure_ascii=False) + "\n")
        count += 1
    detail = {"what": "reviewed_labels", "lines": count, "since": since.isoformat() if since else None}
    record(session, actor=actor, action="export_labels", org_id=org_id, detail=detail)
    session.commit()
    return count
