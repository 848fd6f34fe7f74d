"""Next steps per severity, for the official and for the support staff (shown in the app and the bundle)."""

from __future__ import annotations

from dataclasses import dataclass

from triage.evidence.resources import load

SEVERITY_ORDER = ("none", "low", "medium", "high", "critical")


@dataclass(frozen=True, slots=True)
class Aftercare:
    severity: str
    official: tuple[str, ...]
    staff: tuple[str, ...]

    @property
    def acute(self) -> bool:
        return self.severity == "critical"


def aftercare(severity: str) -> Aftercare:
    level = severity if severity in SEVERITY_ORDER else "none"
    entry = load("aftercare.json")[level]
    return Aftercare(level, tuple(entry["official"]), tuple(entry["staff"]))


def highest(severities: list[str]) -> str:
    known = [level for level in severities if level in SEVERITY_ORDER]
    return max(known, key=SEVERITY_ORDER.index) if known else "none"
