"""Label and severity distributions in production, per period, next to those the model was trained on.

Production counts the organisation's reports (duplicates left out) by the machine verdict: the
share flagged with each label and the share at each severity. The distance per period is the
total variation distance between the production and training severity distributions (0 = the
same, 1 = disjoint); a rising distance says the model sees other traffic than it learned from.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from triage.engine.labels import LABELS, SEVERITIES
from triage.errors import InvalidInput
from triage.store.models import Report, ReportFlag

BUCKETS: Final = ("day", "week", "month")


def bucket_start(moment: datetime, bucket: str) -> str:
    if bucket == "day":
        return moment.date().isoformat()
    if bucket == "week":
        return (moment.date() - timedelta(days=moment.weekday())).isoformat()
    return moment.date().replace(day=1).isoformat()


def _shares(counts: Counter[str], total: int, keys: tuple[str, ...]) -> dict[str, float]:
    return {key: (counts.get(key, 0) / total if total else 0.0) for key in keys}


def training_distribution(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """From a model folder's data.json (written by training): shares per label and severity."""
    if not data or not data.get("train"):
        return None
    total = int(data["train"])
    return {
        "n": total,
        "labels": _shares(Counter(data.get("train_labels", {})), total, LABELS),
        "severity": _shares(Counter(data.get("train_severity", {})), total, SEVERITIES),
    }


def production_drift(
    session: Session,
    *,
    org_id: str,
    since: datetime,
    bucket: str,
    training: dict[str, Any] | None,
) -> list[dict[str, Any]]:
    if bucket not in BUCKETS:
        raise InvalidInput(f"bucket must be one of {', '.join(BUCKETS)}")
    reports = session.execute(
        select(Report.id, Report.created_at, Report.severity, Report.model_version).where(
            Report.org_id == org_id, Report.created_at >= since, Report.duplicate_of_id.is_(None)
        )
    ).all()
    flags: defaultdict[str, list[str]] = defaultdict(list)
    ids = [row.id for row in reports]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for report_id, label in session.execute(
            select(ReportFlag.report_id, ReportFlag.label).where(ReportFlag.report_id.in_(chunk))
        ).tuples():
            flags[report_id].append(label)
    periods: defaultdict[str, list[Any]] = defaultdict(list)
    for row in reports:
        periods[bucket_start(row.created_at, bucket)].append(row)
    result = []
    for period in sorted(periods):
        rows = periods[period]
        severity = _shares(Counter(row.severity for row in rows), len(rows), SEVERITIES)
        labels = _shares(Counter(label for row in rows for label in flags[row.id]), len(rows), LABELS)
        entry: dict[str, Any] = {
            "period": period,
            "n": len(rows),
            "models": dict(Counter(row.model_version for row in rows)),
            "labels": labels,
            "severity": severity,
        }
        if training is not None:
            entry["severity_distance"] = 0.5 * sum(
                abs(severity[level] - training["severity"][level]) for level in SEVERITIES
            )
            entry["label_difference"] = {label: labels[label] - training["labels"][label] for label in LABELS}
        result.append(entry)
    return result
