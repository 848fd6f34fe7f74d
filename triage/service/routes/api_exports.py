"""Exports for the organisation: GIR-ready records for a period (CSV or JSON) and statistics."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from triage.service import exports
from triage.service.deps import DbDep, ReviewerActor
from triage.service.schemas import StatisticRow, StatisticsPublic

router = APIRouter(prefix="/api/v1", tags=["exports"])

From = Annotated[date | None, Query(alias="from", description="First day (Dutch time), YYYY-MM-DD.")]
To = Annotated[date | None, Query(description="Last day, inclusive (default: today).")]


def _file(export: exports.ExportFile) -> Response:
    return Response(
        export.content,
        media_type=export.media_type,
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )


@router.get("/exports/gir", response_class=Response)
def gir(
    db: DbDep,
    actor: ReviewerActor,
    from_: From = None,
    to: To = None,
    format: Literal["csv", "json"] = "csv",
    include_unreviewed: bool = False,
) -> Response:
    """Incidents for registration in GIR whose date (posted, else received) lies in the period: reviewed
    reports (confirmed, reported, closed) unless `include_unreviewed`; duplicates folded in. Audited."""
    span = exports.period(from_, to, default_days=31)
    return _file(
        exports.gir_export(db, actor=actor, span=span, fmt=format, include_unreviewed=include_unreviewed)
    )


@router.get("/stats")
def stats(db: DbDep, actor: ReviewerActor, from_: From = None, to: To = None) -> StatisticsPublic:
    """Per ISO week: reports by severity, label, target, platform and status; reported to the police
    (count and share); median hours to a first review. Default: the last 52 weeks."""
    span = exports.period(from_, to, default_days=364)
    rows = exports.statistics(db, actor=actor, span=span)
    return StatisticsPublic(
        period_from=span.start, period_to=span.end, rows=[StatisticRow(**row) for row in rows]
    )


@router.get("/exports/stats", response_class=Response)
def stats_csv(db: DbDep, actor: ReviewerActor, from_: From = None, to: To = None) -> Response:
    """The same statistics as CSV (week, measure, key, value)."""
    return _file(exports.statistics_csv(db, actor=actor, span=exports.period(from_, to, default_days=364)))
