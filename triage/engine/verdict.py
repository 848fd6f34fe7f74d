"""Span, LegalRef and Verdict: the public result of classifying one message.

The JSON form (`Verdict.to_dict`) is a contract: it is one line of `triage classify` and the
verdict the service stores. Offsets always refer to the ORIGINAL text, as Python string indices.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from triage.engine.labels import LABELS, Severity, Target


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    source: str  # a rule id such as "threat.intent_act", or "model:<feature>"


@dataclass(frozen=True, slots=True)
class LegalRef:
    article: str
    name: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ModelInfo:
    name: str
    version: str


@dataclass(slots=True)
class Verdict:
    language: str
    labels: dict[str, float]
    flags: list[str]
    severity: Severity
    severity_score: float
    target: Target
    spans: list[Span]
    legal: list[LegalRef]
    model: ModelInfo
    truncated: bool = False
    notes: list[str] = field(default_factory=list)

    def to_dict(self, message_id: Any = None) -> dict[str, Any]:
        data: dict[str, Any] = {} if message_id is None else {"id": message_id}
        data.update(
            language=self.language,
            labels={label: round(self.labels.get(label, 0.0), 4) for label in LABELS},
            flags=list(self.flags),
            severity=self.severity,
            severity_score=round(self.severity_score, 4),
            target=self.target,
            spans=[asdict(span) for span in self.spans],
            legal=[{"article": ref.article, "name": ref.name, "reason": ref.reason} for ref in self.legal],
            model=asdict(self.model),
            truncated=self.truncated,
            notes=list(self.notes),
        )
        return data
