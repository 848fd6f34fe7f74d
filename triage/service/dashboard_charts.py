"""The dashboard's figures drawn as SVG bar charts, with Dutch names and the severity colours."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from triage.service.dashboard import TARGET_NL, Dashboard, DriftRow, nl_number, percent, platform_name
from triage.service.svg_charts import PANEL, Bar, Pair, columns, hbars, paired_hbars
from triage.service.web import LABEL_NL, SEVERITY_NL

NAMES = ("productie", "training")


@dataclass(frozen=True, slots=True)
class DashboardCharts:
    per_week: Markup
    labels: Markup
    targets: Markup
    severity: Markup
    platforms: Markup
    police: Markup
    first_review: Markup
    drift_labels: Markup
    drift_severity: Markup
    drift_distance: Markup


def _week_name(week: str) -> str:
    return week.split("-", 1)[1]  # "2026-W05" -> "W05"


def draw(dashboard: Dashboard) -> DashboardCharts:
    weeks = dashboard.weeks
    drift = dashboard.drift

    def pairs(rows: Sequence[DriftRow], names: Mapping[str, str]) -> list[Pair]:
        return [
            Pair(
                names.get(row.key, row.key),
                row.production,
                row.training,
                percent(row.production),
                percent(row.training) if row.training is not None else "",
            )
            for row in rows
        ]

    return DashboardCharts(
        per_week=columns(
            [Bar(_week_name(w.week), w.total, str(w.total)) for w in weeks], title="Meldingen per week"
        ),
        labels=hbars(
            [Bar(LABEL_NL.get(key, key), n, str(n)) for key, n in dashboard.labels],
            title="Meldingen per soort",
        ),
        targets=hbars(
            [Bar(TARGET_NL.get(key, key), n, str(n), f"target-{key}") for key, n in dashboard.targets],
            title="Gericht op",
        ),
        severity=hbars(
            [Bar(SEVERITY_NL.get(key, key), n, str(n), f"sev-{key}") for key, n in dashboard.severity],
            title="Meldingen per ernst",
        ),
        platforms=hbars(
            [Bar(platform_name(key), n, str(n)) for key, n in dashboard.platforms],
            title="Meldingen per platform",
        ),
        police=columns(
            [Bar(_week_name(w.week), w.police_share, percent(w.police_share), "police") for w in weeks],
            title="Aandeel gemeld bij de politie per week",
            maximum=1.0,
            width=PANEL,
        ),
        first_review=columns(
            [
                Bar(
                    _week_name(w.week),
                    w.first_review_hours or 0.0,
                    nl_number(w.first_review_hours) + " u" if w.first_review_hours is not None else "–",
                    "review",
                )
                for w in weeks
            ],
            title="Mediane tijd tot eerste beoordeling per week (uren)",
            width=PANEL,
        ),
        drift_labels=paired_hbars(
            pairs(drift.labels, LABEL_NL), title="Labels: productie naast training", names=NAMES
        ),
        drift_severity=paired_hbars(
            pairs(drift.severity, SEVERITY_NL), title="Ernst: productie naast training", names=NAMES
        ),
        drift_distance=columns(
            [
                Bar(
                    w.period[5:],
                    w.severity_distance or 0.0,
                    nl_number(w.severity_distance or 0.0, 2),
                    "distance",
                )
                for w in drift.weeks
            ],
            title="Afstand ernstverdeling productie tot training per week (0 = gelijk, 1 = geheel anders)",
            maximum=1.0,
        ),
    )
