"""What leaves the organisation in bulk: GIR-ready incident records for a period and weekly statistics.

A record shows the reviewed outcome (the latest reviewer's labels, severity and target where given,
else the engine's), the follow-up steps, and perpetrator data beyond the message only with its basis.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from triage.evidence.dutch import GIR_KINDS, PLATFORMS
from triage.store.deadlines import AMSTERDAM
from triage.store.models import FollowUp, Report, Review

REVIEWED_STATUSES: Final = ("confirmed", "reported", "closed")
ALL_BUT_DISMISSED: Final = ("new", "in_review", "confirmed", "reported", "closed")
MAX_PERIOD_DAYS: Final = 3 * 366
MIN_YEAR: Final = 1990
MAX_YEAR: Final = 2999

GIR_FIELDS: Final = (
    "melding_id",
    "incident_datum",
    "incident_tijd",
    "soort_incident",
    "labels",
    "ernst",
    "gericht_op",
    "platform",
    "url",
    "bericht_id",
    "omschrijving",
    "dader_account",
    "dader_naam",
    "dader_profiel",
    "dader_overige_gegevens",
    "grondslag_dadergegevens",
    "betrokkene",
    "functie_betrokkene",
    "status",
    "ontvangen_op",
    "eerste_beoordeling_op",
    "gir_kenmerk",
    "aangifte_gedaan",
    "aangifte_registratienummer",
    "aangifte_datum",
    "gemeld_bij_platform",
    "niet_gemeld_reden",
    "aantal_keer_doorgestuurd",
    "tekst_verwijderd",
)


@dataclass(frozen=True, slots=True)
class Period:
    """Whole Dutch calendar days, `start` to `end` inclusive; as UTC bounds [lower, upper)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if not (self.start.year >= MIN_YEAR and self.end.year <= MAX_YEAR):
            raise ValueError(f"a period lies between the years {MIN_YEAR} and {MAX_YEAR}")
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
        if (self.end - self.start).days > MAX_PERIOD_DAYS:
            raise ValueError(f"a period spans at most {MAX_PERIOD_DAYS} days")

    @property
    def lower(self) -> datetime:
        return datetime.combine(self.start, time(), AMSTERDAM)

    @property
    def upper(self) -> datetime:
        return datetime.combine(self.end + timedelta(days=1), time(), AMSTERDAM)


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(AMSTERDAM) if moment else None


def _latest_reviews(session: Session, report_ids: Sequence[str]) -> dict[str, list[Review]]:
    reviews: dict[str, list[Review]] = defaultdict(list)
    for start in range(0, len(report_ids), 500):
        chunk = report_ids[start : start + 500]
        for review in session.scalars(
            select(Review).where(Review.report_id.in_(chunk)).order_by(Review.created_at, Review.id)
        ):
            reviews[review.report_id].append(review)
    return reviews


def _follow_ups(session: Session, report_ids: Sequence[str]) -> dict[str, list[FollowUp]]:
    steps: dict[str, list[FollowUp]] = defaultdict(list)
    for start in range(0, len(report_ids), 500):
        chunk = report_ids[start : start + 500]
        for step in session.scalars(
            select(FollowUp).where(FollowUp.report_id.in_(chunk)).order_by(FollowUp.occurred_at)
        ):
            steps[step.report_id].append(step)
    return steps


def _copies(session: Session, report_ids: Sequence[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for start in range(0, len(report_ids), 500):
        chunk = report_ids[start : start + 500]
        rows = session.execute(
            select(Report.duplicate_of_id, func.count(Report.id))
            .where(Report.duplicate_of_id.in_(chunk))
            .group_by(Report.duplicate_of_id)
        ).tuples()
        counts.update({str(origin): int(n) for origin, n in rows})
    return counts


@dataclass(frozen=True, slots=True)
class Outcome:
    labels: tuple[str, ...]
    severity: str
    target: str
    first_review: datetime | None


def outcome(report: Report, reviews: Sequence[Review]) -> Outcome:
    labels = tuple(str(flag) for flag in report.verdict.get("flags", []))
    severity, target = report.severity, str(report.verdict.get("target", "none"))
    for review in reviews:
        labels = tuple(review.labels) if review.labels is not None else labels
        severity = review.severity or severity
        target = review.target or target
    return Outcome(labels, severity, target, reviews[0].created_at if reviews else None)


def incident_date() -> Any:
    return func.coalesce(Report.posted_at, Report.received_at, Report.created_at)


def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def gir_records(
    session: Session, *, org_id: str, period: Period, include_unreviewed: bool = False
) -> list[dict[str, Any]]:
    """One record per incident (duplicates folded into their original) whose date lies in `period`."""
    when = incident_date()
    reports = list(
        session.scalars(
            select(Report)
            .where(
                Report.org_id == org_id,
                Report.duplicate_of_id.is_(None),
                Report.status.in_(ALL_BUT_DISMISSED if include_unreviewed else REVIEWED_STATUSES),
                when >= period.lower,
                when < period.upper,
            )
            .order_by(when, Report.id)
        )
    )
    ids = [r.id for r in reports]
    reviews, steps, copies = _latest_reviews(session, ids), _follow_ups(session, ids), _copies(session, ids)
    records = []
    for report in reports:
        result = outcome(report, reviews.get(report.id, []))
        moment = _local(report.posted_at or report.received_at or report.created_at)
        assert moment is not None
        taken = steps.get(report.id, [])
        police = [s for s in taken if s.kind == "police"]
        lawful = bool(report.author_lawful_basis)
        records.append(
            {
                "melding_id": report.id,
                "incident_datum": moment.date().isoformat(),
                "incident_tijd": moment.strftime("%H:%M"),
                "soort_incident": _join(GIR_KINDS[label] for label in GIR_KINDS if label in result.labels)
                or ("Online agressie (nader te bepalen)" if result.severity != "none" else "Geen incident"),
                "labels": _join(result.labels),
                "ernst": result.severity,
                "gericht_op": result.target,
                "platform": PLATFORMS.get(report.platform, report.platform),
                "url": report.url or "",
                "bericht_id": report.message_id or "",
                "omschrijving": report.text,
                "dader_account": report.author_handle or "",
                "dader_naam": report.author_name or "",
                "dader_profiel": report.author_url or "",
                "dader_overige_gegevens": (report.author_details or "") if lawful else "",
                "grondslag_dadergegevens": report.author_lawful_basis or "",
                "betrokkene": report.recipient or "",
                "functie_betrokkene": report.recipient_role or "",
                "status": report.status,
                "ontvangen_op": report.created_at.isoformat(),
                "eerste_beoordeling_op": result.first_review.isoformat() if result.first_review else "",
                "gir_kenmerk": _join(s.reference or "" for s in taken if s.kind == "gir"),
                "aangifte_gedaan": "ja" if police else "nee",
                "aangifte_registratienummer": _join(s.reference or "" for s in police),
                "aangifte_datum": _join(str(_local(s.occurred_at).date()) for s in police),  # type: ignore[union-attr]
                "gemeld_bij_platform": "ja" if any(s.kind == "platform" for s in taken) else "nee",
                "niet_gemeld_reden": _join(s.note or "" for s in taken if s.kind == "not_reported"),
                "aantal_keer_doorgestuurd": 1 + copies.get(report.id, 0),
                "tekst_verwijderd": "ja" if report.purged_at else "nee",
            }
        )
    return records


# --- statistics -------------------------------------------------------------------------------------

STAT_FIELDS: Final = ("week", "measure", "key", "value")


def iso_week(day: date) -> str:
    """The ISO week label of a day, e.g. 2026-W48 (the key of the weekly statistics)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _week(moment: datetime) -> str:
    return iso_week(moment.astimezone(AMSTERDAM).date())


def weekly_statistics(session: Session, *, org_id: str, period: Period) -> list[dict[str, Any]]:
    """Per ISO week (Dutch time) of receipt: how many, what kind, at whom, on which platform, how many
    reported to the police, and the median hours to a first review (duplicates not counted twice)."""
    reports = list(
        session.scalars(
            select(Report).where(
                Report.org_id == org_id,
                Report.duplicate_of_id.is_(None),
                Report.created_at >= period.lower,
                Report.created_at < period.upper,
            )
        )
    )
    ids = [r.id for r in reports]
    reviews, steps = _latest_reviews(session, ids), _follow_ups(session, ids)
    counts: dict[str, Counter[tuple[str, str]]] = defaultdict(Counter)
    hours: dict[str, list[float]] = defaultdict(list)
    for report in reports:
        week = _week(report.created_at)
        result = outcome(report, reviews.get(report.id, []))
        bucket = counts[week]
        bucket["reports", "total"] += 1
        bucket["severity", result.severity] += 1
        bucket["target", result.target] += 1
        bucket["platform", report.platform] += 1
        bucket["status", report.status] += 1
        for label in result.labels:
            bucket["label", label] += 1
        if any(s.kind == "police" for s in steps.get(report.id, [])):
            bucket["police", "reported"] += 1
        if result.first_review is not None:
            hours[week].append((result.first_review - report.created_at).total_seconds() / 3600)
    rows: list[dict[str, Any]] = []
    for week in sorted(counts):
        bucket = counts[week]
        for (measure, key), value in sorted(bucket.items()):
            rows.append({"week": week, "measure": measure, "key": key, "value": value})
        total = bucket["reports", "total"]
        share = bucket["police", "reported"] / total if total else 0.0
        rows.append({"week": week, "measure": "police", "key": "share", "value": round(share, 4)})
        if hours[week]:
            median = round(statistics.median(hours[week]), 2)
            rows.append({"week": week, "measure": "first_review_hours", "key": "median", "value": median})
    return rows
