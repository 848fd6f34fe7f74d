"""The dashboard's figures: the questions the national monitor asks, per ISO week over a chosen number of
weeks, and the drift of production against the training data.

Everything is computed from the same rows as `GET /api/v1/stats` (store.exports.weekly_statistics) and
`GET /api/v1/stats/drift` (store.drift), so the page and the API cannot disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy.orm import Session

from triage.engine.labels import LABELS, SEVERITIES, TARGETS
from triage.evidence.dutch import PLATFORMS
from triage.service import exports, model_admin
from triage.service.live_model import LiveClassifier
from triage.store.audit import Actor
from triage.store.exports import Period, iso_week

PERIOD_WEEKS: Final = (4, 12, 26, 52)
DEFAULT_WEEKS: Final = 12
COUNTED: Final = ("reports", "label", "severity", "target", "platform", "police")  # summed over weeks
TARGET_NL: Final = {
    "person": "de persoon",
    "office": "het ambt",
    "group": "een groep",
    "none": "geen doelwit",
}


def nl_number(value: float, digits: int = 1) -> str:
    return f"{value:.{digits}f}".replace(".", ",")


def percent(share: float) -> str:
    return nl_number(100 * share) + "%"


def period_of_weeks(weeks: int, today: date) -> Period:
    """This ISO week and the `weeks - 1` before it, whole weeks from Monday up to today."""
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(weeks=weeks - 1), today)


def weeks_in(period: Period) -> list[str]:
    monday = period.start - timedelta(days=period.start.weekday())
    found = []
    while monday <= period.end:
        found.append(iso_week(monday))
        monday += timedelta(weeks=1)
    return found


@dataclass(frozen=True, slots=True)
class Week:
    week: str
    total: int
    police: int
    police_share: float
    first_review_hours: float | None


@dataclass(frozen=True, slots=True)
class DriftRow:
    key: str
    production: float
    training: float | None


@dataclass(frozen=True, slots=True)
class DriftWeek:
    period: str
    n: int
    severity_distance: float | None


@dataclass(frozen=True, slots=True)
class Drift:
    model: str | None
    n: int
    has_training: bool
    labels: list[DriftRow]
    severity: list[DriftRow]
    weeks: list[DriftWeek]


@dataclass(frozen=True, slots=True)
class Dashboard:
    period: Period
    weeks: list[Week]
    total: int
    police: int
    labels: list[tuple[str, int]]
    severity: list[tuple[str, int]]
    targets: list[tuple[str, int]]
    platforms: list[tuple[str, int]]
    drift: Drift

    @property
    def police_share(self) -> float:
        return self.police / self.total if self.total else 0.0


def _ordered(counts: Counter[str], order: Sequence[str]) -> list[tuple[str, int]]:
    known = [(key, counts.get(key, 0)) for key in order]
    return known + sorted((key, n) for key, n in counts.items() if key not in order)


def summarise(
    rows: Sequence[Mapping[str, Any]], period: Period
) -> tuple[list[Week], dict[str, Counter[str]]]:
    """The stats rows as one line per week of the period (weeks without reports as zero) and totals."""
    per_week: dict[str, dict[tuple[str, str], float]] = defaultdict(dict)
    totals: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        per_week[row["week"]][row["measure"], row["key"]] = row["value"]
        if row["measure"] in COUNTED and (row["measure"], row["key"]) != ("police", "share"):
            totals[row["measure"]][row["key"]] += int(row["value"])
    weeks = []
    for week in sorted(set(weeks_in(period)) | set(per_week)):
        values = per_week.get(week, {})
        total = int(values.get(("reports", "total"), 0))
        police = int(values.get(("police", "reported"), 0))
        median = values.get(("first_review_hours", "median"))
        weeks.append(Week(week, total, police, police / total if total else 0.0, median))
    return weeks, totals


def _drift(overview: Mapping[str, Any]) -> Drift:
    periods = overview["periods"]
    training = overview["training"]
    n = sum(int(p["n"]) for p in periods)

    def pooled(kind: str, keys: Sequence[str]) -> list[DriftRow]:
        rows = []
        for key in keys:
            share = sum(p[kind][key] * p["n"] for p in periods) / n if n else 0.0
            rows.append(DriftRow(key, share, training[kind][key] if training else None))
        return rows

    weeks = [DriftWeek(p["period"], int(p["n"]), p.get("severity_distance")) for p in periods]
    return Drift(
        overview["model"],
        n,
        training is not None,
        pooled("labels", LABELS),
        pooled("severity", SEVERITIES),
        weeks,
    )


def build(db: Session, live: LiveClassifier | None, *, actor: Actor, weeks: int, today: date) -> Dashboard:
    period = period_of_weeks(weeks, today)
    rows = exports.statistics(db, actor=actor, span=period)
    per_week, totals = summarise(rows, period)
    overview = model_admin.drift(db, live, org_id=actor.user.org_id, since=period.lower, bucket="week")
    return Dashboard(
        period=period,
        weeks=per_week,
        total=totals["reports"]["total"],
        police=totals["police"]["reported"],
        labels=_ordered(totals["label"], LABELS),
        severity=_ordered(totals["severity"], SEVERITIES),
        targets=_ordered(totals["target"], TARGETS),
        platforms=sorted(totals["platform"].items(), key=lambda item: (-item[1], item[0])),
        drift=_drift(overview),
    )


def platform_name(key: str) -> str:
    return PLATFORMS.get(key, key)
